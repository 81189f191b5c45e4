#include "storage/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <system_error>
#include <unistd.h>

namespace headroom {
namespace fs = std::filesystem;

namespace {
fs::path temporaryBeside(const fs::path& target) {
    std::random_device random;
    const auto suffix = std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000);
    return target.parent_path() / ("." + target.filename().string() + ".saving-" + suffix);
}

Status flushDescriptor(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0)
        return Error{std::strerror(errno), path.string(), ""};
    const bool ok = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!ok)
        return Error{std::string("could not flush to disk: ") + std::strerror(saved), path.string(),
                     ""};
    return Done{};
}
} // namespace

Status flushToDisk(const fs::path& file) {
    return flushDescriptor(file, O_RDONLY);
}

Status replaceFileAtomically(const fs::path& target, const TempWriter& write) {
    const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(directory, ec))
        return Error{"the folder does not exist", directory.string(), ""};
    if (fs::is_directory(target, ec))
        return Error{"a folder of that name is in the way", target.string(), ""};

    const fs::path temporary = temporaryBeside(target);
    auto discard = [&] { fs::remove(temporary, ec); };

    if (auto written = write(temporary); !written) {
        discard();
        return written;
    }
    if (auto flushed = flushToDisk(temporary); !flushed) {
        discard();
        return flushed;
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        discard();
        return Error{"could not replace the file: " + ec.message(), target.string(), ""};
    }
    // Make the rename itself durable; a failure here cannot undo the save, so it is ignored.
    (void)flushDescriptor(directory, O_RDONLY | O_DIRECTORY);
    return Done{};
}

Status writeTextAtomically(const fs::path& target, const std::string& text) {
    return replaceFileAtomically(target, [&](const fs::path& temporary) -> Status {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return Error{"cannot create a file beside it: " + std::string(std::strerror(errno)),
                         target.string(), ""};
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out)
            return Error{"writing failed (disk full?)", target.string(), ""};
        return Done{};
    });
}

} // namespace headroom

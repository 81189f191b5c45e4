#include "storage/atomic_file.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(AtomicFile, ReplacesContent) {
    test::TempDir dir;
    const auto path = dir / "f.txt";
    test::writeFile(path, "old");
    ASSERT_TRUE(writeTextAtomically(path, "new content"));
    EXPECT_EQ(test::readFile(path), "new content");
}

TEST(AtomicFile, FailingWriterLeavesTargetAndRemovesTemporary) {
    test::TempDir dir;
    const auto path = dir / "f.txt";
    test::writeFile(path, "old");
    std::filesystem::path seen;
    const auto status = replaceFileAtomically(path, [&](const std::filesystem::path& tmp) {
        seen = tmp;
        test::writeFile(tmp, "half");
        return Status(Error{"disk full", path.string(), ""});
    });
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message, "disk full");
    EXPECT_EQ(test::readFile(path), "old");
    EXPECT_EQ(seen.parent_path(), dir.path()) << "temporary must sit beside the target";
    EXPECT_FALSE(std::filesystem::exists(seen));
}

TEST(AtomicFile, RefusesToReplaceAFolder) {
    test::TempDir dir;
    std::filesystem::create_directory(dir / "sub");
    EXPECT_FALSE(writeTextAtomically(dir / "sub", "x"));
}

} // namespace
} // namespace headroom

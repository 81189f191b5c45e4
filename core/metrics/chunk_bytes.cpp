#include "metrics/chunk_bytes.h"

#include "common/huge_pages.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace headroom::metrics {

ChunkBytes::ChunkBytes(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return;
    auto owned = std::make_shared_for_overwrite<std::uint8_t[]>(bytes.size());
    std::memcpy(owned.get(), bytes.data(), bytes.size());
    data_ = owned.get();
    size_ = bytes.size();
    owner_ = std::move(owned);
}

ChunkBytes ChunkArena::keep(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return {};
    if (!block_ || capacity_ - used_ < bytes.size()) {
        // Huge-page aligned, so the kernel can back the whole block with 2 MiB pages.
        constexpr std::size_t kHuge = std::size_t{2} << 20;
        capacity_ = std::max(blockBytes_, bytes.size());
        const bool huge = capacity_ >= 2 * kHuge;
        if (huge) {
            capacity_ = (capacity_ + kHuge - 1) / kHuge * kHuge;
            auto* raw =
                static_cast<std::uint8_t*>(::operator new[](capacity_, std::align_val_t{kHuge}));
            block_ = std::shared_ptr<std::uint8_t[]>(
                raw, [](std::uint8_t* p) { ::operator delete[](p, std::align_val_t{kHuge}); });
            adviseHugePages(raw, capacity_);
        } else {
            block_ = std::make_shared_for_overwrite<std::uint8_t[]>(capacity_);
        }
        used_ = 0;
        blockBytes_ = std::max(blockBytes_, std::min(2 * blockBytes_, std::size_t{8} << 20));
    }
    std::uint8_t* at = block_.get() + used_;
    std::memcpy(at, bytes.data(), bytes.size());
    used_ += bytes.size();
    return {block_, at, bytes.size()};
}

} // namespace headroom::metrics

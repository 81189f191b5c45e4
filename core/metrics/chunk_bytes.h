#pragma once
// The encoded bytes of one chunk, and the arena importers write them into.
//
// An import of 10 million samples makes about 10,000 chunks of 2-3 KB. Allocated one by one on
// the importing threads, they cost more than encoding them: glibc grows each thread's heap a
// few pages at a time (a system call each) and every fresh page faults, which on virtual
// machines is slow. An arena instead copies a thread's chunks into a few large blocks backed by
// huge pages (common/huge_pages.h), and each chunk keeps a slice of its block alive.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace headroom::metrics {

/// Immutable bytes: owned alone, or a slice of an arena block shared with other chunks.
class ChunkBytes {
  public:
    ChunkBytes() = default;
    /// Owns a copy of `bytes`.
    ChunkBytes(std::span<const std::uint8_t> bytes); // NOLINT: bytes convert to it
    ChunkBytes(const std::vector<std::uint8_t>& bytes)
        : ChunkBytes(std::span<const std::uint8_t>(bytes)) {}
    /// A slice of a block that `owner` keeps alive.
    ChunkBytes(std::shared_ptr<const void> owner, const std::uint8_t* data, std::size_t size)
        : owner_(std::move(owner)), data_(data), size_(size) {}

    [[nodiscard]] const std::uint8_t* data() const { return data_; }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] const std::uint8_t* begin() const { return data_; }
    [[nodiscard]] const std::uint8_t* end() const { return data_ + size_; }
    operator std::span<const std::uint8_t>() const { return {data_, size_}; } // NOLINT

    friend bool operator==(const ChunkBytes& a, const ChunkBytes& b) {
        return std::ranges::equal(a, b);
    }

  private:
    std::shared_ptr<const void> owner_;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

/// Copies chunks' bytes into blocks, the first of `firstBlockBytes`, each next one twice the
/// last up to 8 MiB (huge pages from 4 MiB), so a guess of the size need not be right. One per
/// thread: not thread-safe.
class ChunkArena {
  public:
    explicit ChunkArena(std::size_t firstBlockBytes)
        : blockBytes_(std::max<std::size_t>(firstBlockBytes, 4096)) {}
    ChunkArena(const ChunkArena&) = delete;
    ChunkArena& operator=(const ChunkArena&) = delete;

    /// `bytes` copied into the current block (a new one when it is full).
    ChunkBytes keep(std::span<const std::uint8_t> bytes);

  private:
    std::size_t blockBytes_;
    std::shared_ptr<std::uint8_t[]> block_;
    std::size_t used_ = 0;
    std::size_t capacity_ = 0;
};

} // namespace headroom::metrics

#pragma once
// Writing and reading a stream of bits, most significant bit first: the container of the
// compressed sample chunks. Both sides move whole machine words, not single bits, so a chunk
// of 1024 samples encodes and decodes in microseconds.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

namespace headroom::metrics {

class BitWriter {
  public:
    /// Writes into `scratch` (emptied first), a buffer the caller keeps from chunk to chunk:
    /// its memory is touched once, and the caller copies the finished bytes where they go,
    /// instead of a vector grown by doubling for each chunk (on a 10 M-sample import the page
    /// faults of that growth cost more than the encoding).
    /// The buffer only grows (to the largest chunk seen); the writer keeps its own length, so a
    /// stored word is a compare and a copy, not a vector resize (which made encoding twice as
    /// slow).
    explicit BitWriter(std::vector<std::uint8_t>& scratch) : bytes_(scratch) {}
    BitWriter(const BitWriter&) = delete;
    BitWriter& operator=(const BitWriter&) = delete;

    /// Appends the lowest `count` bits of `bits` (count 0..64), highest of them first.
    /// The bits gather in a 64-bit word, stored whole when it fills: one store per 64 bits,
    /// not one per byte (a third of the time a chunk took to encode).
    void write(std::uint64_t bits, int count) {
        if (count <= 0)
            return;
        if (count < 64)
            bits &= (std::uint64_t{1} << count) - 1;
        if (count < free_) {
            word_ |= bits << (free_ - count);
            free_ -= count;
            return;
        }
        const int over = count - free_; // bits that go on into the next word (0..63)
        word_ |= bits >> over;
        store(word_);
        word_ = over == 0 ? 0 : bits << (64 - over);
        free_ = 64 - over;
    }
    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }

    [[nodiscard]] std::size_t bitCount() const {
        return used_ * 8 + static_cast<std::size_t>(64 - free_);
    }
    /// The bytes written, the last one padded with zero bits, where they were written (in the
    /// scratch buffer, until the next writer on it).
    std::span<const std::uint8_t> finish() {
        const std::size_t tail = static_cast<std::size_t>(64 - free_ + 7) / 8;
        store(word_);
        used_ -= 8 - tail;
        word_ = 0;
        free_ = 64;
        return {bytes_.data(), used_};
    }

  private:
    void store(std::uint64_t word) {
        if constexpr (std::endian::native == std::endian::little)
            word = __builtin_bswap64(word);
        if (used_ + 8 > bytes_.size())
            bytes_.resize(std::max<std::size_t>(2 * bytes_.size(), 4096));
        std::memcpy(bytes_.data() + used_, &word, 8);
        used_ += 8;
    }

    std::vector<std::uint8_t>& bytes_;
    std::size_t used_ = 0;   ///< bytes of bytes_ written
    std::uint64_t word_ = 0; ///< bits not yet in bytes_, from the top
    int free_ = 64;          ///< bits of word_ still free (1..64 between writes)
};

class BitReader {
  public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    /// The next `count` bits (0..64), or nothing when the stream ends first.
    std::optional<std::uint64_t> read(int count) {
        if (count <= 0)
            return count == 0 ? std::optional<std::uint64_t>(0) : std::nullopt;
        if (position_ + static_cast<std::size_t>(count) > bytes_.size() * 8)
            return std::nullopt;
        if (count > 56) {
            const auto high = read(count - 32);
            const auto low = read(32);
            return (*high << 32) | *low;
        }
        const std::size_t at = position_ / 8;
        std::uint64_t word = 0;
        if (at + 8 <= bytes_.size()) {
            std::memcpy(&word, bytes_.data() + at, 8);
            if constexpr (std::endian::native == std::endian::little)
                word = __builtin_bswap64(word);
        } else {
            for (std::size_t i = 0; i < 8; ++i)
                word = (word << 8) | (at + i < bytes_.size() ? bytes_[at + i] : 0U);
        }
        const int offset = static_cast<int>(position_ % 8);
        position_ += static_cast<std::size_t>(count);
        return (word << offset) >> (64 - count);
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

} // namespace headroom::metrics

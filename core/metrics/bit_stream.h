#pragma once
// Writing and reading a stream of bits, most significant bit first: the container of the
// compressed sample chunks. Both sides move whole machine words, not single bits, so a chunk
// of 1024 samples encodes and decodes in microseconds.

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

namespace headroom::metrics {

class BitWriter {
  public:
    BitWriter() : bytes_(own_) {}
    /// Writes into `scratch` (emptied first), a buffer the caller keeps from chunk to chunk:
    /// its memory is touched once, and take() hands out an exactly sized copy, instead of a
    /// vector grown by doubling for each chunk (on a 10 M-sample import the page faults of
    /// that growth cost more than the encoding).
    explicit BitWriter(std::vector<std::uint8_t>& scratch) : bytes_(scratch) { scratch.clear(); }
    BitWriter(const BitWriter&) = delete;
    BitWriter& operator=(const BitWriter&) = delete;

    /// Appends the lowest `count` bits of `bits` (count 0..64), highest of them first.
    void write(std::uint64_t bits, int count) {
        if (count <= 0)
            return;
        if (count > 32) { // keep the accumulator within 64 bits
            write(bits >> 32, count - 32);
            bits &= 0xffff'ffffU;
            count = 32;
        } else if (count < 64) {
            bits &= (std::uint64_t{1} << count) - 1;
        }
        accumulator_ = (accumulator_ << count) | bits;
        pending_ += count;
        while (pending_ >= 8) {
            pending_ -= 8;
            bytes_.push_back(static_cast<std::uint8_t>(accumulator_ >> pending_));
        }
    }
    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }

    [[nodiscard]] std::size_t bitCount() const { return bytes_.size() * 8 + pending_; }
    /// The bytes written, the last one padded with zero bits.
    std::vector<std::uint8_t> take() {
        if (pending_ > 0)
            bytes_.push_back(static_cast<std::uint8_t>(accumulator_ << (8 - pending_)));
        pending_ = 0;
        if (&bytes_ == &own_)
            return std::move(own_);
        return {bytes_.begin(), bytes_.end()};
    }

  private:
    std::vector<std::uint8_t> own_;
    std::vector<std::uint8_t>& bytes_;
    std::uint64_t accumulator_ = 0;
    int pending_ = 0; ///< bits in the accumulator not yet in bytes_ (0..7 between writes)
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

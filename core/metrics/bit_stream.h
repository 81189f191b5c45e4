#pragma once
// Writing and reading a stream of bits, most significant bit first: the container of the
// compressed sample chunks.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace headroom::metrics {

class BitWriter {
  public:
    /// Appends the lowest `count` bits of `bits` (count 0..64), highest of them first.
    void write(std::uint64_t bits, int count) {
        for (int i = count - 1; i >= 0; --i) {
            if (used_ == 0)
                bytes_.push_back(0);
            if ((bits >> i) & 1U)
                bytes_.back() |= static_cast<std::uint8_t>(0x80U >> used_);
            used_ = (used_ + 1) % 8;
        }
    }
    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }

    [[nodiscard]] std::size_t bitCount() const {
        return bytes_.size() * 8 - (used_ == 0 ? 0 : 8 - used_);
    }
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    std::vector<std::uint8_t> take() { return std::move(bytes_); }

  private:
    std::vector<std::uint8_t> bytes_;
    int used_ = 0; ///< bits used in the last byte (0 = it is full, or there is none)
};

class BitReader {
  public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    /// The next `count` bits (0..64), or nothing when the stream ends first.
    std::optional<std::uint64_t> read(int count) {
        if (position_ + static_cast<std::size_t>(count) > bytes_.size() * 8)
            return std::nullopt;
        std::uint64_t out = 0;
        for (int i = 0; i < count; ++i) {
            const auto byte = bytes_[position_ / 8];
            out = (out << 1) | ((byte >> (7 - position_ % 8)) & 1U);
            ++position_;
        }
        return out;
    }

  private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

} // namespace headroom::metrics

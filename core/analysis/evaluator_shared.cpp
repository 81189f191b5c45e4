// The grid's shared memo (Evaluator::Shared, evaluator.h): points, fine points and pole points
// every thread's evaluator of one analysis works out the same, stored once and read without
// locks, in blocks that come from chunks freed together.
#include "analysis/evaluator.h"

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>

namespace headroom::analysis {

Evaluator::Shared::Block::Block() {
    // A point is there once its utilisation is (read); its response is stored before it.
    for (auto& x : utilisation)
        x.store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
}

Evaluator::Shared::Shared(std::size_t components)
    : blocks_(new std::atomic<Block*>[components * kBlocks]), count_(components * kBlocks),
      saturation_(new std::atomic<double>[components]),
      fine_(new std::atomic<FineTable*>[components]),
      pole_(new std::atomic<PoleTable*>[components]) {
    for (std::size_t i = 0; i < count_; ++i)
        blocks_[i].store(nullptr, std::memory_order_relaxed);
    for (std::size_t v = 0; v < components; ++v) {
        saturation_[v].store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
        fine_[v].store(nullptr, std::memory_order_relaxed);
        pole_[v].store(nullptr, std::memory_order_relaxed);
    }
}

Evaluator::Shared::~Shared() = default; // the blocks and tables go with their chunks

template <class T> T* Evaluator::Shared::make() {
    static_assert(std::is_trivially_destructible_v<T> && sizeof(T) <= kChunk &&
                  alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    void* at = nullptr;
    {
        const std::scoped_lock lock(chunksLock_);
        chunkUsed_ = (chunkUsed_ + alignof(T) - 1) / alignof(T) * alignof(T);
        if (chunkUsed_ + sizeof(T) > kChunk) {
            chunks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kChunk));
            chunkUsed_ = 0;
        }
        at = chunks_.back().get() + chunkUsed_;
        chunkUsed_ += sizeof(T);
    }
    return new (at) T();
}

Evaluator::Shared::FineTable::FineTable() {
    for (auto& b : blocks)
        b.store(nullptr, std::memory_order_relaxed);
}

std::optional<Evaluator::GridPoint> Evaluator::Shared::read(const std::atomic<Block*>& slot,
                                                            int at) {
    const Block* block = slot.load(std::memory_order_acquire);
    if (!block)
        return std::nullopt;
    const auto i = static_cast<std::size_t>(at);
    const double u = block->utilisation[i].load(std::memory_order_acquire);
    if (std::isnan(u))
        return std::nullopt;
    return GridPoint{block->response[i].load(std::memory_order_relaxed), u};
}

void Evaluator::Shared::write(std::atomic<Block*>& slot, int at, GridPoint p) {
    Block* block = slot.load(std::memory_order_acquire);
    if (!block) {
        Block* fresh = make<Block>();
        if (slot.compare_exchange_strong(block, fresh, std::memory_order_acq_rel))
            block = fresh; // else `block` is the one another thread put there
    }
    const auto i = static_cast<std::size_t>(at);
    block->response[i].store(p.response, std::memory_order_relaxed);
    block->utilisation[i].store(p.utilisation, std::memory_order_release);
}

std::optional<Evaluator::GridPoint> Evaluator::Shared::point(std::size_t v, int j) const {
    const int i = j + kOffset;
    if (i < 0 || i >= kSpan)
        return std::nullopt;
    return read(blocks_[v * kBlocks + static_cast<std::size_t>(i / kBlock)], i % kBlock);
}

void Evaluator::Shared::store(std::size_t v, int j, GridPoint p) {
    const int i = j + kOffset;
    if (i < 0 || i >= kSpan)
        return; // beyond the grid's reach: worked out again when needed
    write(blocks_[v * kBlocks + static_cast<std::size_t>(i / kBlock)], i % kBlock, p);
}

std::optional<double> Evaluator::Shared::polePoint(std::size_t v, int m) const {
    const PoleTable* table = pole_[v].load(std::memory_order_acquire);
    if (!table)
        return std::nullopt;
    const double r = table->response[static_cast<std::size_t>(m)].load(std::memory_order_acquire);
    if (std::isnan(r))
        return std::nullopt;
    return r;
}

void Evaluator::Shared::storePole(std::size_t v, int m, double response) {
    PoleTable* table = pole_[v].load(std::memory_order_acquire);
    if (!table) {
        PoleTable* fresh = make<PoleTable>();
        for (auto& r : fresh->response)
            r.store(std::numeric_limits<double>::quiet_NaN(), std::memory_order_relaxed);
        if (pole_[v].compare_exchange_strong(table, fresh, std::memory_order_acq_rel))
            table = fresh;
    }
    table->response[static_cast<std::size_t>(m)].store(response, std::memory_order_release);
}

std::optional<Evaluator::GridPoint> Evaluator::Shared::finePoint(std::size_t v, int f) const {
    const int i = f + kFineOffset;
    const FineTable* table = fine_[v].load(std::memory_order_acquire);
    if (!table || i < 0 || i >= kFineSpan)
        return std::nullopt;
    return read(table->blocks[static_cast<std::size_t>(i / kBlock)], i % kBlock);
}

void Evaluator::Shared::storeFine(std::size_t v, int f, GridPoint p) {
    const int i = f + kFineOffset;
    if (i < 0 || i >= kFineSpan)
        return;
    FineTable* table = fine_[v].load(std::memory_order_acquire);
    if (!table) {
        FineTable* fresh = make<FineTable>();
        if (fine_[v].compare_exchange_strong(table, fresh, std::memory_order_acq_rel))
            table = fresh;
    }
    write(table->blocks[static_cast<std::size_t>(i / kBlock)], i % kBlock, p);
}

} // namespace headroom::analysis

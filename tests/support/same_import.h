#pragma once
// Two imports of the same data by different readers (the CSV fast path and the line reader, the
// streamed and the whole-document JSON reader) must agree on every count and every sample.

#include "metrics/csv_import.h"

#include <gtest/gtest.h>

namespace headroom::test {

inline void expectSameReport(const metrics::ImportReport& a, const metrics::ImportReport& b) {
    EXPECT_EQ(a.rows, b.rows);
    EXPECT_EQ(a.gaps, b.gaps);
    EXPECT_EQ(a.reordered, b.reordered);
    EXPECT_EQ(a.duplicates, b.duplicates);
    EXPECT_EQ(a.skippedRows, b.skippedRows);
    EXPECT_EQ(a.warnings, b.warnings);
    ASSERT_EQ(a.series.size(), b.series.size());
    for (std::size_t i = 0; i < a.series.size(); ++i) {
        EXPECT_EQ(a.series[i]->info(), b.series[i]->info());
        const auto x = a.series[i]->samples();
        const auto y = b.series[i]->samples();
        ASSERT_TRUE(x && y);
        ASSERT_EQ(x->size(), y->size()) << a.series[i]->info().name;
        for (std::size_t k = 0; k < x->size(); ++k) {
            ASSERT_EQ((*x)[k].timestampMs, (*y)[k].timestampMs) << i << "/" << k;
            ASSERT_EQ((*x)[k].value, (*y)[k].value) << i << "/" << k;
        }
    }
}

} // namespace headroom::test

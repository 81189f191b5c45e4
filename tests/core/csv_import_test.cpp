#include "metrics/csv_detail.h"
#include "metrics/csv_import.h"
#include "support/same_import.h"
#include "support/temp_dir.h"

#include <array>
#include <cmath>
#include <gtest/gtest.h>

namespace headroom::metrics {
namespace {

// Expected values computed independently with Python's datetime.
TEST(Timestamp, Iso8601WithOffsetsAndFractions) {
    EXPECT_EQ(parseTimestampMs("2024-03-01T12:00:00Z"), 1709294400000);
    EXPECT_EQ(parseTimestampMs("2024-03-01 12:00:00.250+02:00"), 1709287200250);
    EXPECT_EQ(parseTimestampMs("1969-12-31T23:59:59Z"), -1000);
    EXPECT_EQ(parseTimestampMs("2000-02-29T00:00:00-0530"), 951802200000);
    EXPECT_EQ(parseTimestampMs("2024-03-01T12:00Z"), 1709294400000) << "seconds are optional";
    EXPECT_FALSE(parseTimestampMs("2024-13-01T00:00:00Z"));
    EXPECT_FALSE(parseTimestampMs("yesterday"));
    EXPECT_FALSE(parseTimestampMs("2024-03-01T12:00:00 UTC"));
}

TEST(Timestamp, UnixNumbersByMagnitude) {
    EXPECT_EQ(parseTimestampMs("1700000000"), 1700000000000);          // seconds
    EXPECT_EQ(parseTimestampMs("1700000000.5"), 1700000000500);        // fractional seconds
    EXPECT_EQ(parseTimestampMs("1700000000123"), 1700000000123);       // milliseconds
    EXPECT_EQ(parseTimestampMs("1700000000123456"), 1700000000123);    // microseconds
    EXPECT_EQ(parseTimestampMs("1700000000123456789"), 1700000000123); // nanoseconds
}

const Series& named(const ImportReport& report, const std::string& name) {
    for (const auto& s : report.series)
        if (s->info().name == name)
            return *s;
    throw std::runtime_error("no series " + name);
}

TEST(CsvImport, HeaderBomCrlfSemicolonsAndSeveralColumns) {
    const auto report = importCsvText("\xEF\xBB\xBFtime;rps;cpu\r\n"
                                      "1700000000;120.5;0.41\r\n"
                                      "1700000015;130;0.43\r\n",
                                      "web.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 2u);
    const auto rps = named(*report, "rps").samples();
    ASSERT_TRUE(rps);
    ASSERT_EQ(rps->size(), 2u);
    EXPECT_EQ((*rps)[1].timestampMs, 1700000015000);
    EXPECT_EQ((*rps)[1].value, 130.0);
    EXPECT_EQ(named(*report, "cpu").info().source.kind, "csv");
    EXPECT_EQ(named(*report, "cpu").info().source.location, "web.csv");
    EXPECT_EQ(report->rows, 2u);
    EXPECT_TRUE(report->warnings.empty());
}

TEST(CsvImport, FindsTheTimeColumnByNameAndHandlesQuotes) {
    const auto report = importCsvText("\"requests, total\",\"Time\"\n"
                                      "\"5\",\"2024-03-01T12:00:00Z\"\n",
                                      "q.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 1u);
    EXPECT_EQ(report->series[0]->info().name, "requests, total");
    EXPECT_EQ(report->series[0]->chunks()[0].firstMs, 1709294400000);
}

TEST(CsvImport, NoHeaderNamesColumnsByPosition) {
    const auto report = importCsvText("1700000000000,1\n1700000001000,2\n", "n.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_EQ(report->series[0]->info().name, "value1");
    EXPECT_EQ(report->series[0]->size(), 2u);
}

TEST(CsvImport, ABadRowStopsTheImportAndSaysWhere) {
    const auto report = importCsvText("time,rps\n1700000000,1\n1700000015,abc\n", "bad.csv", {});
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().describe(),
              "bad.csv: line 3, column 2: not a number: 'abc' (column 'rps')");
    const auto ragged = importCsvText("time,rps\n1700000000,1,9\n", "r.csv", {});
    ASSERT_FALSE(ragged);
    EXPECT_EQ(ragged.error().location, "line 2, column 1");
    EXPECT_EQ(ragged.error().message, "expected 2 fields, found 3");
}

TEST(CsvImport, SkippingBadRowsCountsThemAndKeepsNothingOfThem) {
    CsvOptions options;
    options.skipBadRows = true;
    const auto report = importCsvText("time,a,b\n"
                                      "1700000000,1,2\n"
                                      "1700000015,3,oops\n"
                                      "not-a-time,4,4\n"
                                      "1700000030,5,6\n",
                                      "s.csv", options);
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_EQ(report->skippedRows, 2u);
    EXPECT_EQ(report->rows, 2u);
    EXPECT_EQ(named(*report, "a").size(), 2u) << "the row with a bad b gives no a either";
}

TEST(CsvImport, SortsOutOfOrderKeepsTheLastDuplicateAndLeavesGaps) {
    const auto report = importCsvText("time,v\n"
                                      "1700000030,3\n"
                                      "1700000000,1\n"
                                      "1700000015,2\n"
                                      "1700000015,2.5\n"
                                      "1700000045,NaN\n"
                                      "1700000060,\n"
                                      "1700000075,+Inf\n",
                                      "o.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    const auto samples = report->series[0]->samples();
    ASSERT_TRUE(samples);
    ASSERT_EQ(samples->size(), 3u);
    EXPECT_EQ((*samples)[0].value, 1);
    EXPECT_EQ((*samples)[1].value, 2.5);
    EXPECT_EQ((*samples)[2].value, 3);
    EXPECT_EQ(report->reordered, 1u);
    EXPECT_EQ(report->duplicates, 1u);
    EXPECT_EQ(report->gaps, 3u);
    EXPECT_EQ(report->warnings.size(), 3u);
}

TEST(CsvImport, EmptyFilesAndFilesWithoutNumbersSaySo) {
    auto empty = importCsvText("\n\n", "e.csv", {});
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message, "the file is empty");
    auto words = importCsvText("time,v\n1700000000,\n", "w.csv", {});
    ASSERT_FALSE(words);
    EXPECT_NE(words.error().message.find("no numeric column"), std::string::npos);
    auto one = importCsvText("1700000000\n", "1.csv", {});
    ASSERT_FALSE(one);
    EXPECT_NE(one.error().message.find("one column"), std::string::npos);
}

TEST(CsvImport, ReadsFilesInBlocksAcrossBoundaries) {
    test::TempDir dir;
    std::string text = "timestamp,value\n";
    for (int i = 0; i < 200000; ++i) // about 5 MB: lines straddle the 1 MiB blocks
        text += std::to_string(1700000000000LL + i * 1000) + "," + std::to_string(i % 97) + "\n";
    test::writeFile(dir / "big.csv", text);
    int progressCalls = 0;
    const auto report = importCsvFile(dir / "big.csv", {}, [&](double) {
        ++progressCalls;
        return true;
    });
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_EQ(report->series[0]->size(), 200000u);
    EXPECT_GE(progressCalls, 4);
    const auto last = report->series[0]->samples(1700000000000LL + 199999000, 1800000000000LL);
    ASSERT_TRUE(last);
    ASSERT_EQ(last->size(), 1u);
    EXPECT_EQ(last->front().value, 199999 % 97);
    const auto cancelled = importCsvFile(dir / "big.csv", {}, [](double) { return false; });
    ASSERT_FALSE(cancelled);
    EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
}

TEST(GrafanaCsv, SeriesJoinedByTime) {
    const auto report = importGrafanaCsvFile(
        test::sourceDir() / "tests/data/grafana/series_joined_by_time.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 2u);
    EXPECT_EQ(named(*report, "web-1").size(), 2u);
    EXPECT_EQ(named(*report, "web-2").size(), 1u);
    EXPECT_EQ(named(*report, "web-1").info().source.kind, "grafana-csv");
    // A time without an offset is read as UTC.
    EXPECT_EQ(named(*report, "web-1").chunks()[0].firstMs, 1709294400000);
}

TEST(GrafanaCsv, SeriesAsRowsArePivotedBySeriesName) {
    const auto report =
        importGrafanaCsvFile(test::sourceDir() / "tests/data/grafana/series_as_rows.csv", {});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 2u);
    const auto web1 = named(*report, "web-1").samples();
    ASSERT_TRUE(web1);
    ASSERT_EQ(web1->size(), 2u);
    // 12:00+01:00 is 11:00 UTC.
    EXPECT_EQ((*web1)[0].timestampMs, 1709294400000 - 3600000);
    EXPECT_EQ((*web1)[1].value, 13.0);
    EXPECT_EQ(named(*report, "web-2").size(), 1u);
    EXPECT_EQ(report->series[0]->info().name, "web-1") << "first seen, first listed";
}

} // namespace
} // namespace headroom::metrics

namespace headroom::metrics {
namespace {

/// Every figure of two import reports, sample by sample.
using test::expectSameReport;

TEST(CsvFastPath, ABigFileSplitAcrossThreadsGivesWhatTheLineReaderGives) {
    test::TempDir dir;
    std::string text = "\xEF\xBB\xBFtime;rps;cpu\r\n";
    // About 3 MB: several parallel parts. Unix seconds and milliseconds, ISO times, gaps,
    // a row out of order, a repeated timestamp, blank lines, spaces around fields.
    for (int i = 0; i < 100'000; ++i) {
        const long t = 1'700'000'000L + i * 15L;
        std::string time = std::to_string(t);
        if (i % 7 == 3)
            time = std::to_string(t * 1000);
        if (i == 5)
            time = "2023-11-14T22:14:35Z"; // = 1700000075, i.e. row 5
        text += time + "; " + std::to_string(100 + i % 37) + "." + std::to_string(i % 10) + ";" +
                (i % 1000 == 0  ? ""
                 : i % 999 == 0 ? "NaN"
                                : std::to_string(i % 100 * 0.01)) +
                "\r\n";
        if (i == 50'000)
            text += "\r\n   \r\n";
    }
    text += "1700000030;1;1\r\n"; // a repeat of row 2's timestamp: the last wins
    text += "1699999000;2;2\r\n"; // out of order
    test::writeFile(dir / "big.csv", text);
    const auto fast = importCsvFile(dir / "big.csv", {});
    const auto slow = importCsvText(text, (dir / "big.csv").string(), {});
    ASSERT_TRUE(fast) << fast.error().describe();
    ASSERT_TRUE(slow) << slow.error().describe();
    expectSameReport(*fast, *slow);
    EXPECT_EQ(fast->rows, 100'002u);
    EXPECT_EQ(fast->duplicates, 2u) << "rps and cpu each";
    EXPECT_EQ(fast->series[0]->size(), 100'001u); // one duplicate folded, one early row added
}

TEST(CsvFastPath, AnOrderedFileIsCompressedAsItIsReadAndMatchesTheLineReader) {
    test::TempDir dir;
    std::string text = "time,rps,cpu\n";
    for (int i = 0; i < 150'000; ++i) { // about 4 MB: parts on both cores, several blocks
        const long t = 1'700'000'000L + i * 15L;
        text += (i % 5 == 2 ? std::to_string(t * 1000) : std::to_string(t)) + "," +
                std::to_string(100 + i % 37) + "." + std::to_string(i % 10) + "," +
                (i % 777 == 0 ? "" : std::to_string(i % 100 * 0.01)) + "\n";
    }
    test::writeFile(dir / "ordered.csv", text);
    const auto fast = detail::importCsvFast(dir / "ordered.csv", {}, {});
    ASSERT_TRUE(fast.has_value()) << "an ordered, unquoted file takes the fast path";
    ASSERT_TRUE(*fast) << fast->error().describe();
    const auto slow = importCsvText(text, (dir / "ordered.csv").string(), {});
    ASSERT_TRUE(slow);
    expectSameReport(**fast, *slow);
    EXPECT_EQ((*fast)->gaps, 194u); // ceil(150000 / 777) empty cpu cells
}

TEST(CsvFastPath, RowsOutOfOrderWithinAPartStayOnTheFastPathAndMatchTheLineReader) {
    // Every 1,000th row swapped with the one after it, and every 5,000th repeated with a new
    // value: disorder that never crosses far, as merged scrapes have it. About 4 MB: parts on
    // both cores and several blocks.
    test::TempDir dir;
    std::string text = "time,rps\n";
    std::string held;
    for (int i = 0; i < 150'000; ++i) {
        const long t = 1'700'000'000L + i * 15L;
        std::string row = std::to_string(t) + "," + std::to_string(100 + i % 37) + "\n";
        if (i % 5'000 == 7)
            row += std::to_string(t) + ",999\n"; // the same time again: this one wins
        if (i % 1'000 == 1) {
            held = row; // written after the next row
            continue;
        }
        text += row + held;
        held.clear();
    }
    text += held;
    test::writeFile(dir / "shuffled.csv", text);
    const auto fast = detail::importCsvFast(dir / "shuffled.csv", {}, {});
    ASSERT_TRUE(fast.has_value()) << "local disorder keeps the fast path";
    ASSERT_TRUE(*fast) << fast->error().describe();
    const auto slow = importCsvText(text, (dir / "shuffled.csv").string(), {});
    ASSERT_TRUE(slow);
    expectSameReport(**fast, *slow);
    EXPECT_EQ((*fast)->reordered, 150u) << "one a thousand rows";
    EXPECT_EQ((*fast)->duplicates, 30u) << "one a 5,000 rows";
    EXPECT_EQ((*fast)->series[0]->size(), 150'000u);
    const auto samples = (*fast)->series[0]->samples();
    ASSERT_TRUE(samples);
    EXPECT_EQ((*samples)[7].value, 999) << "the last of a repeated time wins";
    EXPECT_EQ((*fast)->warnings, slow->warnings);

    // Disorder across the file (the last row belongs at the start): the line reader sorts it.
    test::writeFile(dir / "late.csv", text + "1699999000,5\n");
    EXPECT_FALSE(detail::importCsvFast(dir / "late.csv", {}, {}).has_value());
}

TEST(CsvFastPath, TheOnePassRowAndTheCarefulRowAgreeOnEveryShape) {
    // The fast path reads a plain row in one pass and hands anything else to the field-by-field
    // reader; both must give the line reader's samples. Rows cycle through shapes of each kind:
    // the time column last, Unix seconds, ms, µs and ns, exponents, signs, NaN and Inf, spaces,
    // CR LF, fractional seconds, and a last line without a line end.
    test::TempDir dir;
    std::string text = "rps,cpu,time\n";
    const std::array<std::string, 8> rps{"12", "1e3", "-0.5", "nan", " 7.25", "0.1", "inf", "3."};
    const std::array<std::string, 5> cpu{"0.25", "", "1.5E-2", "2 ", "99"};
    for (int i = 0; i < 40'000; ++i) {
        const long long seconds = 1'700'000'000LL + i * 15LL;
        std::string time;
        switch (i % 6) {
        case 0:
            time = std::to_string(seconds);
            break;
        case 1:
            time = std::to_string(seconds * 1000);
            break;
        case 2:
            time = std::to_string(seconds * 1'000'000);
            break; // µs, 16 digits
        case 3:
            time = std::to_string(seconds * 1'000'000'000);
            break; // ns, 19 digits
        case 4:
            time = std::to_string(seconds) + ".5";
            break;
        default:
            time = std::to_string(seconds * 1000) + "\r";
            break;
        }
        text += rps[static_cast<std::size_t>(i) % rps.size()] + "," +
                cpu[static_cast<std::size_t>(i) % cpu.size()] + "," + time + "\n";
    }
    text += "4,5," + std::to_string(1'800'000'000LL); // no line end
    test::writeFile(dir / "shapes.csv", text);
    const auto fast = detail::importCsvFast(dir / "shapes.csv", {}, {});
    ASSERT_TRUE(fast.has_value()) << "ordered and unquoted: the fast path takes it";
    ASSERT_TRUE(*fast) << fast->error().describe();
    const auto slow = importCsvText(text, (dir / "shapes.csv").string(), {});
    ASSERT_TRUE(slow) << slow.error().describe();
    expectSameReport(**fast, *slow);
    EXPECT_EQ((*fast)->rows, 40'001u);
    // Worked out from the cycles: rps has NaN (i % 8 == 3) and Inf (i % 8 == 6) as gaps, cpu
    // the empty cell (i % 5 == 1): 5,000 + 5,000 + 8,000.
    EXPECT_EQ((*fast)->gaps, 18'000u);
    const auto rpsSamples = (*fast)->series[0]->samples();
    ASSERT_TRUE(rpsSamples);
    EXPECT_EQ(rpsSamples->front().timestampMs, 1'700'000'000'000LL);
    EXPECT_EQ(rpsSamples->front().value, 12.0);
    EXPECT_EQ((*rpsSamples)[1].timestampMs, 1'700'000'015'000LL); // ms as written
    EXPECT_EQ((*rpsSamples)[1].value, 1000.0);
    EXPECT_EQ((*rpsSamples)[2].timestampMs, 1'700'000'030'000LL); // from µs
    EXPECT_EQ((*rpsSamples)[3].timestampMs, 1'700'000'060'500LL); // row 3 is NaN; row 4: .5 s
    EXPECT_EQ(rpsSamples->back().timestampMs, 1'800'000'000'000LL);
}

TEST(CsvFastPath, ABadRowDeepInABigFileIsNamedExactlyAndNothingIsImported) {
    test::TempDir dir;
    std::string text = "timestamp,value\n";
    for (int i = 0; i < 200'000; ++i)
        text += std::to_string(1'700'000'000'000L + i * 1000L) + "," + std::to_string(i) + "\n";
    text += "1800000000000,12x\n";
    test::writeFile(dir / "bad.csv", text);
    const auto report = importCsvFile(dir / "bad.csv", {});
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().location, "line 200002, column 2");
    EXPECT_EQ(report.error().message, "not a number: '12x' (column 'value')");
    CsvOptions skip;
    skip.skipBadRows = true;
    const auto skipped = importCsvFile(dir / "bad.csv", skip);
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped->skippedRows, 1u);
    EXPECT_EQ(skipped->series[0]->size(), 200'000u);
}

TEST(CsvFastPath, QuotedFilesAndHeadersOnlyTakeTheGeneralRoad) {
    test::TempDir dir;
    const std::string quoted =
        "\"time\",\"value\"\n\"1700000000\",\"1.5\"\n\"1700000015\",\"2.5\"\n";
    test::writeFile(dir / "q.csv", quoted);
    const auto fromFile = importCsvFile(dir / "q.csv", {});
    ASSERT_TRUE(fromFile) << fromFile.error().describe();
    expectSameReport(*fromFile, *importCsvText(quoted, (dir / "q.csv").string(), {}));
    test::writeFile(dir / "header.csv", "time,value\n");
    const auto empty = importCsvFile(dir / "header.csv", {});
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("no numeric column"), std::string::npos)
        << empty.error().message;
}

} // namespace
} // namespace headroom::metrics

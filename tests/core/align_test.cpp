#include "layout/align.h"

#include <gtest/gtest.h>

namespace headroom::layout {
namespace {

const std::vector<Point> kThree{{100, 50}, {300, 20}, {180, 90}};

TEST(Align, LeftRightAndCentreUseTheBoundingBox) {
    for (const auto& p : align(kThree, Alignment::Left))
        EXPECT_EQ(p.x, 100);
    for (const auto& p : align(kThree, Alignment::Right))
        EXPECT_EQ(p.x, 300);
    for (const auto& p : align(kThree, Alignment::HorizontalCentre))
        EXPECT_EQ(p.x, 200);
    const auto middle = align(kThree, Alignment::VerticalCentre);
    for (const auto& p : middle)
        EXPECT_EQ(p.y, 55);
    EXPECT_EQ(middle[1].x, 300) << "the other axis is untouched";
}

TEST(Distribute, SpacesEvenlyKeepingTheEndsAndTheOrder) {
    const auto spread = distribute({{100, 0}, {400, 5}, {130, 9}, {160, 1}}, Axis::Horizontal);
    EXPECT_EQ(spread[0].x, 100);
    EXPECT_EQ(spread[2].x, 200);
    EXPECT_EQ(spread[3].x, 300);
    EXPECT_EQ(spread[1].x, 400);
    EXPECT_EQ(spread[2].y, 9);
}

TEST(Distribute, FewerThanThreeIsLeftAlone) {
    const std::vector<Point> two{{0, 0}, {10, 10}};
    EXPECT_EQ(distribute(two, Axis::Vertical), two);
}

} // namespace
} // namespace headroom::layout

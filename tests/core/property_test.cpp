#include "model/property.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

PropertyDescriptor replicas() {
    PropertyDescriptor d;
    d.key = "replicas";
    d.label = "Replicas";
    d.type = PropertyType::Integer;
    d.unit = "instances";
    d.defaultValue = std::int64_t{3};
    d.min = 1;
    d.max = 100;
    return d;
}

TEST(PropertyValue, AcceptsIntegerInsideRangeIncludingBounds) {
    EXPECT_FALSE(checkValue(replicas(), std::int64_t{1}));
    EXPECT_FALSE(checkValue(replicas(), std::int64_t{100}));
}

TEST(PropertyValue, RejectsIntegerOutsideRangeAndSaysTheRange) {
    const auto problem = checkValue(replicas(), std::int64_t{0});
    ASSERT_TRUE(problem);
    EXPECT_EQ(*problem, "0 is outside the range 1 to 100 instances");
}

TEST(PropertyValue, RejectsWrongRepresentation) {
    const auto problem = checkValue(replicas(), std::string("three"));
    ASSERT_TRUE(problem);
    EXPECT_EQ(*problem, "expected integer");
    EXPECT_TRUE(checkValue(replicas(), 3.0)) << "a double is not an integer property's value";
}

TEST(PropertyValue, RejectsNonFiniteNumbers) {
    auto d = replicas();
    d.type = PropertyType::Number;
    EXPECT_TRUE(checkValue(d, std::numeric_limits<double>::quiet_NaN()));
    EXPECT_TRUE(checkValue(d, std::numeric_limits<double>::infinity()));
}

TEST(PropertyValue, ChoiceMustBeOneOfTheOptions) {
    PropertyDescriptor d;
    d.type = PropertyType::Choice;
    d.choices = {{"round_robin", "Round robin"}, {"ip_hash", "IP hash"}};
    EXPECT_FALSE(checkValue(d, std::string("ip_hash")));
    const auto problem = checkValue(d, std::string("sticky"));
    ASSERT_TRUE(problem);
    EXPECT_EQ(*problem, "'sticky' is not one of: round_robin, ip_hash");
}

TEST(PropertyFormat, NumbersUseShortestExactForm) {
    EXPECT_EQ(formatNumber(0.1), "0.1");
    EXPECT_EQ(formatNumber(250.0), "250");
    EXPECT_EQ(formatNumber(0.096), "0.096");
    EXPECT_EQ(formatNumber(100000.0), "100000");
    EXPECT_EQ(formatNumber(-5.0), "-5");
    EXPECT_EQ(formatNumber(1e-6), "1e-06");
}

TEST(PropertyFormat, UnitsAndSingulars) {
    auto d = replicas();
    EXPECT_EQ(formatValue(d, std::int64_t{3}), "3 instances");
    EXPECT_EQ(formatValue(d, std::int64_t{1}), "1 instance");
    d.unit = "%";
    EXPECT_EQ(formatValue(d, std::int64_t{25}), "25%");
    d.unit = "x";
    EXPECT_EQ(formatValue(d, std::int64_t{2}), "2\u00d7");
    d.unit = "ms";
    EXPECT_EQ(formatValue(d, 9999.0), "9999 ms");
    EXPECT_EQ(formatValue(d, 90000.0), "90 s");
}

TEST(PropertyFormat, ChoiceShowsItsLabelAndBooleansReadAsWords) {
    PropertyDescriptor d;
    d.type = PropertyType::Choice;
    d.choices = {{"cookie_hash", "Cookie hash (sticky)"}};
    EXPECT_EQ(formatValue(d, std::string("cookie_hash")), "Cookie hash (sticky)");
    d.type = PropertyType::Boolean;
    EXPECT_EQ(formatValue(d, true), "yes");
    EXPECT_EQ(formatValue(d, false), "no");
}

} // namespace
} // namespace headroom

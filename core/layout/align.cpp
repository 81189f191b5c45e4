#include "layout/align.h"

#include <algorithm>
#include <numeric>

namespace headroom::layout {

std::vector<Point> align(std::vector<Point> centres, Alignment alignment) {
    if (centres.size() < 2)
        return centres;
    auto [minX, maxX] = std::minmax_element(centres.begin(), centres.end(),
                                            [](Point a, Point b) { return a.x < b.x; });
    auto [minY, maxY] = std::minmax_element(centres.begin(), centres.end(),
                                            [](Point a, Point b) { return a.y < b.y; });
    const double left = minX->x, right = maxX->x, top = minY->y, bottom = maxY->y;
    for (auto& p : centres) {
        switch (alignment) {
        case Alignment::Left:
            p.x = left;
            break;
        case Alignment::HorizontalCentre:
            p.x = (left + right) / 2;
            break;
        case Alignment::Right:
            p.x = right;
            break;
        case Alignment::Top:
            p.y = top;
            break;
        case Alignment::VerticalCentre:
            p.y = (top + bottom) / 2;
            break;
        case Alignment::Bottom:
            p.y = bottom;
            break;
        }
    }
    return centres;
}

std::vector<Point> distribute(std::vector<Point> centres, Axis axis) {
    if (centres.size() < 3)
        return centres;
    auto coordinate = [axis](Point& p) -> double& { return axis == Axis::Horizontal ? p.x : p.y; };
    std::vector<std::size_t> order(centres.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return coordinate(centres[a]) < coordinate(centres[b]);
    });
    const double first = coordinate(centres[order.front()]);
    const double last = coordinate(centres[order.back()]);
    const double step = (last - first) / static_cast<double>(centres.size() - 1);
    for (std::size_t i = 1; i + 1 < order.size(); ++i)
        coordinate(centres[order[i]]) = first + step * static_cast<double>(i);
    return centres;
}

} // namespace headroom::layout

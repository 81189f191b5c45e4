// main() for the GUI tests: a QApplication on the offscreen platform, so the tests (and
// gtest_discover_tests at build time) run without a display.

#include <QApplication>
#include <QStandardPaths>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Keep recent files and window state of the tests away from the user's settings.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("HeadroomTests"));
    QApplication::setApplicationName(QStringLiteral("HeadroomTests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// Never lose work: autosave to a recovery file while changes are unsaved; after a crash the
// next start offers it back.

#include "document/autosaver.h"
#include "document/project_document.h"
#include "editor/edit_actions.h"
#include "main_window.h"
#include "storage/project_io.h"
#include "support/temp_dir.h"

#include <QFileInfo>
#include <QLockFile>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace headroom::ui {
namespace {

class Autosave : public ::testing::Test {
  protected:
    void SetUp() override {
        std::filesystem::copy_file(test::sourceDir() / "models/legacy-sticky.headroom.json",
                                   dir / "shop.headroom.json");
        file = QString::fromStdString((dir / "shop.headroom.json").string());
    }

    static bool open(MainWindow& window, const QString& path) {
        QSignalSpy finished(&window, &MainWindow::loadFinished);
        window.openFile(path);
        return finished.wait(10000) && finished.front().front().toBool();
    }

    test::TempDir dir;
    QString file;
};

TEST_F(Autosave, WritesARecoveryFileBesideTheProjectWhileChangesAreUnsaved) {
    MainWindow window;
    window.autosaver()->setInterval(50);
    ASSERT_TRUE(open(window, file));
    const QString recovery = Autosaver::recoveryPathFor(file);
    EXPECT_TRUE(recovery.endsWith("/.shop.headroom.json.recovery.headroom"));

    QSignalSpy saved(window.autosaver(), &Autosaver::recoverySaved);
    window.editActions()->addComponent(ComponentKind::Cache, {0, 0});
    ASSERT_TRUE(saved.wait(5000)) << "autosave runs on its timer once there are changes";
    EXPECT_EQ(saved.front().front().toString(), recovery);
    const auto recovered = loadProject(recovery.toStdString());
    ASSERT_TRUE(recovered) << recovered.error().describe();
    EXPECT_EQ(*recovered, window.document()->project());

    // Saving makes the recovery file pointless: it goes.
    QSignalSpy done(&window, &MainWindow::saveFinished);
    window.saveToFile(file);
    ASSERT_TRUE(done.wait(5000));
    EXPECT_FALSE(QFileInfo::exists(recovery));
}

TEST_F(Autosave, AfterACrashTheNextStartOffersTheChangesBack) {
    Project edited;
    {
        MainWindow crashed;
        ASSERT_TRUE(open(crashed, file));
        crashed.editActions()->addComponent(ComponentKind::Queue, {100, 100});
        crashed.document()->setSelection({"app"});
        crashed.editActions()->nudgeSelection(40, 0);
        edited = crashed.document()->project();
        QSignalSpy saved(crashed.autosaver(), &Autosaver::recoverySaved);
        crashed.autosaver()->saveNow();
        ASSERT_TRUE(saved.wait(5000));
        // The window goes away without Close or Quit, as in a crash: the file stays.
    }
    ASSERT_TRUE(QFileInfo::exists(Autosaver::recoveryPathFor(file)));

    MainWindow next;
    QString askedAbout;
    next.setRecoveryPrompt([&](const QString& project, const QDateTime&) {
        askedAbout = project;
        return true;
    });
    QSignalSpy restored(&next, &MainWindow::recoveryRestored);
    ASSERT_TRUE(open(next, file));
    ASSERT_TRUE(restored.wait(5000));
    EXPECT_EQ(askedAbout, "shop.headroom.json");
    EXPECT_EQ(next.document()->project(), edited);
    EXPECT_TRUE(next.isWindowModified()) << "restored changes are not saved yet";
    next.document()->undoStack()->undo();
    const auto onDisk = loadProject(file.toStdString());
    EXPECT_EQ(next.document()->project(), *onDisk) << "undo shows the file as saved";
}

TEST_F(Autosave, DecliningTheRecoveryDeletesIt) {
    {
        MainWindow crashed;
        ASSERT_TRUE(open(crashed, file));
        crashed.editActions()->addComponent(ComponentKind::Queue, {100, 100});
        QSignalSpy saved(crashed.autosaver(), &Autosaver::recoverySaved);
        crashed.autosaver()->saveNow();
        ASSERT_TRUE(saved.wait(5000));
    }
    MainWindow next;
    next.setRecoveryPrompt([](const QString&, const QDateTime&) { return false; });
    ASSERT_TRUE(open(next, file));
    QTest::qWait(50);
    EXPECT_FALSE(QFileInfo::exists(Autosaver::recoveryPathFor(file)));
    EXPECT_FALSE(next.isWindowModified());
}

TEST_F(Autosave, TwoWindowsOnOneFileNeverTouchEachOthersRecovery) {
    MainWindow first;
    first.setRecoveryPrompt([](const QString&, const QDateTime&) {
        ADD_FAILURE() << "the first window has no recovery to offer";
        return false;
    });
    ASSERT_TRUE(open(first, file));
    first.editActions()->addComponent(ComponentKind::Queue, {100, 100});
    QSignalSpy firstSaved(first.autosaver(), &Autosaver::recoverySaved);
    first.autosaver()->saveNow();
    ASSERT_TRUE(firstSaved.wait(5000));
    const QString beside = Autosaver::recoveryPathFor(file);
    EXPECT_EQ(firstSaved.front().front().toString(), beside);

    MainWindow second;
    bool asked = false;
    second.setRecoveryPrompt([&](const QString&, const QDateTime&) {
        asked = true;
        return false;
    });
    ASSERT_TRUE(open(second, file));
    QTest::qWait(20);
    EXPECT_FALSE(asked) << "a live window's autosave is not a crash to recover from";
    EXPECT_TRUE(QFileInfo::exists(beside));

    second.editActions()->addComponent(ComponentKind::Cache, {300, 100});
    QSignalSpy secondSaved(second.autosaver(), &Autosaver::recoverySaved);
    second.autosaver()->saveNow();
    ASSERT_TRUE(secondSaved.wait(5000));
    const QString elsewhere = secondSaved.front().front().toString();
    EXPECT_NE(elsewhere, beside);
    EXPECT_TRUE(elsewhere.startsWith(Autosaver::untitledRecoveryFolder()));

    // The first window saves: only its own recovery file goes.
    QSignalSpy done(&first, &MainWindow::saveFinished);
    first.saveToFile(file);
    ASSERT_TRUE(done.wait(5000));
    EXPECT_FALSE(QFileInfo::exists(beside));
    EXPECT_TRUE(QFileInfo::exists(elsewhere));
    second.autosaver()->discard();
    EXPECT_FALSE(QFileInfo::exists(elsewhere));
}

// A crashed process leaves its lock file behind; the next start must still be able to offer
// the recovery file.
TEST_F(Autosave, ALockLeftByADeadProcessDoesNotHideTheRecovery) {
    const QString recovery = Autosaver::recoveryPathFor(file);
    test::writeFile(recovery.toStdString(), "x");
    const pid_t child = fork();
    if (child == 0) {
        QLockFile lock(recovery + ".lock");
        lock.setStaleLockTime(0);
        _exit(lock.tryLock(0) ? 0 : 1); // dies holding the lock
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_TRUE(QFileInfo::exists(recovery + ".lock"));
    EXPECT_TRUE(Autosaver::isOrphaned(recovery));
}

} // namespace
} // namespace headroom::ui

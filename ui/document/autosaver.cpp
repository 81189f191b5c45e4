#include "document/autosaver.h"

#include "document/project_document.h"
#include "storage/project_file.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {

Autosaver::Autosaver(ProjectDocument* document, QObject* parent)
    : QObject(parent), document_(document) {
    timer_.setInterval(60 * 1000);
    connect(&timer_, &QTimer::timeout, this, &Autosaver::saveNow);
    connect(document_, &ProjectDocument::modifiedChanged, this, &Autosaver::onModifiedChanged);
    connect(document_, &ProjectDocument::filePathChanged, this, &Autosaver::onPathChanged);
    connect(&watcher_, &QFutureWatcher<bool>::finished, this, [this] {
        if (watcher_.result())
            emit recoverySaved(lastWritten_);
    });
}

Autosaver::~Autosaver() {
    watcher_.waitForFinished();
}

QString Autosaver::recoveryPathFor(const QString& projectPath) {
    const QFileInfo info(projectPath);
    return info.dir().filePath(QStringLiteral(".") + info.fileName() +
                               QStringLiteral(".recovery.headroom"));
}

QString Autosaver::untitledRecoveryFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery");
}

QStringList Autosaver::orphanedUntitledRecoveries() {
    QStringList out;
    const QDir dir(untitledRecoveryFolder());
    for (const auto& info :
         dir.entryInfoList({QStringLiteral("untitled-*.headroom")}, QDir::Files, QDir::Time))
        out.append(info.absoluteFilePath());
    return out;
}

QString Autosaver::recoveryPath() const {
    if (!document_->filePath().isEmpty()) {
        const QString beside = recoveryPathFor(document_->filePath());
        if (QFileInfo(QFileInfo(beside).absolutePath()).isWritable())
            return beside;
    }
    if (untitledPath_.isEmpty()) {
        QDir().mkpath(untitledRecoveryFolder());
        const_cast<Autosaver*>(this)->untitledPath_ =
            untitledRecoveryFolder() + QStringLiteral("/untitled-%1-%2.headroom")
                                           .arg(QCoreApplication::applicationPid())
                                           .arg(QDateTime::currentMSecsSinceEpoch());
    }
    return untitledPath_;
}

void Autosaver::saveNow() {
    if (!document_->isModified() || watcher_.isRunning())
        return;
    lastWritten_ = recoveryPath();
    watcher_.setFuture(QtConcurrent::run([path = lastWritten_, project = document_->project()] {
        return static_cast<bool>(saveProjectFile(project, path.toStdString()));
    }));
}

void Autosaver::discard() {
    watcher_.waitForFinished();
    if (!lastWritten_.isEmpty())
        QFile::remove(lastWritten_);
    lastWritten_.clear();
}

void Autosaver::detach() {
    timer_.stop();
    watcher_.waitForFinished();
    disconnect(document_, nullptr, this, nullptr);
}

void Autosaver::onModifiedChanged(bool modified) {
    if (modified) {
        if (!timer_.isActive())
            timer_.start();
    } else {
        // Saved, reverted by undo, or a fresh project: nothing left to recover.
        timer_.stop();
        discard();
    }
}

void Autosaver::onPathChanged() {
    // Save As moves the recovery file beside the new name on the next tick.
    if (!lastWritten_.isEmpty() && lastWritten_ != recoveryPath())
        discard();
}

} // namespace headroom::ui

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
namespace {
QString lockPathOf(const QString& recoveryFile) { return recoveryFile + QStringLiteral(".lock"); }

/// A lock on the recovery file, or nothing when a live window (here or in another Headroom)
/// holds it. A lock left by a crashed process is stale and taken over.
std::unique_ptr<QLockFile> tryClaim(const QString& recoveryFile) {
    auto lock = std::make_unique<QLockFile>(lockPathOf(recoveryFile));
    lock->setStaleLockTime(0); // stale only when its process is gone, never by age
    if (!lock->tryLock(0))
        return nullptr;
    return lock;
}
} // namespace

Autosaver::Autosaver(ProjectDocument* document, QObject* parent)
    : QObject(parent), document_(document) {
    timer_.setInterval(60 * 1000);
    connect(&timer_, &QTimer::timeout, this, &Autosaver::saveNow);
    connect(document_, &ProjectDocument::modifiedChanged, this, &Autosaver::onModifiedChanged);
    connect(document_, &ProjectDocument::filePathChanged, this, &Autosaver::onPathChanged);
    connect(&watcher_, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = watcher_.result();
        if (deleteWhenDone_) {
            deleteWhenDone_ = false;
            QFile::remove(owned_);
            written_ = false;
            return;
        }
        if (error.isEmpty()) {
            written_ = true;
            emit recoverySaved(owned_);
        } else {
            emit recoveryFailed(error);
        }
    });
}

Autosaver::~Autosaver() = default;

QString Autosaver::recoveryPathFor(const QString& projectPath) {
    const QFileInfo info(projectPath);
    return info.dir().filePath(QStringLiteral(".") + info.fileName() +
                               QStringLiteral(".recovery.headroom"));
}

QString Autosaver::untitledRecoveryFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery");
}

bool Autosaver::isOrphaned(const QString& recoveryFile) {
    return tryClaim(recoveryFile) != nullptr; // the claim is released at once
}

void Autosaver::removeRecovery(const QString& recoveryFile) {
    if (auto lock = tryClaim(recoveryFile))
        QFile::remove(recoveryFile);
}

QStringList Autosaver::orphanedUntitledRecoveries() {
    QStringList out;
    const QDir dir(untitledRecoveryFolder());
    for (const auto& info :
         dir.entryInfoList({QStringLiteral("untitled-*.headroom")}, QDir::Files, QDir::Time))
        if (isOrphaned(info.absoluteFilePath()))
            out.append(info.absoluteFilePath());
    return out;
}

QString Autosaver::recoveryPath() {
    if (!owned_.isEmpty())
        return owned_;
    if (!document_->filePath().isEmpty()) {
        const QString beside = recoveryPathFor(document_->filePath());
        if (QFileInfo(QFileInfo(beside).absolutePath()).isWritable())
            if (auto lock = tryClaim(beside)) {
                lock_ = std::move(lock);
                owned_ = beside;
                return owned_;
            }
    }
    // Never saved, a read-only folder, or another window keeps the file beside it.
    QDir().mkpath(untitledRecoveryFolder());
    const QString own = untitledRecoveryFolder() + QStringLiteral("/untitled-%1-%2.headroom")
                                                       .arg(QCoreApplication::applicationPid())
                                                       .arg(QDateTime::currentMSecsSinceEpoch());
    lock_ = tryClaim(own);
    owned_ = own;
    return owned_;
}

void Autosaver::saveNow() {
    if (!document_->isModified() || watcher_.isRunning())
        return;
    deleteWhenDone_ = false;
    watcher_.setFuture(QtConcurrent::run([path = recoveryPath(), project = document_->project()] {
        const auto saved = saveProjectFile(project, path.toStdString());
        return saved ? QString() : QString::fromStdString(saved.error().describe());
    }));
}

void Autosaver::discard() {
    if (watcher_.isRunning()) {
        deleteWhenDone_ = true; // the write in flight would bring the file back otherwise
        return;
    }
    if (written_)
        QFile::remove(owned_);
    written_ = false;
}

void Autosaver::release() {
    discard();
    if (!watcher_.isRunning()) {
        lock_.reset();
        owned_.clear();
    }
}

void Autosaver::detach() {
    timer_.stop();
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
    // Another file (Open, Save As): the old recovery file and its lock no longer apply.
    release();
}

} // namespace headroom::ui

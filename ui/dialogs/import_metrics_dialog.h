#pragma once
// File > Import Metrics (also started by dropping a file on a component): pick a file, see its
// first lines and its detected format, choose what to bind the series to, and import in the
// background with progress and cancel. Errors show in the dialog with file, line and column.

#include "metrics/csv_import.h"

#include <QDialog>
#include <QFutureWatcher>
#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace headroom::ui {

class ProjectDocument;

class ImportMetricsDialog : public QDialog {
    Q_OBJECT
public:
    ImportMetricsDialog(ProjectDocument* document, QWidget* parent = nullptr);
    ~ImportMetricsDialog() override;

    void setFile(const QString& path);
    /// Preselects the component (and a role) the series will be bound to.
    void setBinding(const QString& componentId, const QString& roleKey = {});
    /// Starts the import (what the Import button does).
    void startImport();
    void cancelImport();
    [[nodiscard]] QString errorText() const;

signals:
    /// The series went into the document (one undoable step).
    void imported(int seriesCount);
    /// The import stopped with this message (nothing was imported).
    void failed(const QString& message);

private:
    struct Outcome {
        std::optional<metrics::ImportReport> report;
        Error error;
    };
    void fileChanged();
    void finished();
    void setRunning(bool running);

    ProjectDocument* document_;
    QLineEdit* path_;
    QComboBox* format_;
    QPlainTextEdit* preview_;
    QCheckBox* skipBadRows_;
    QComboBox* component_;
    QComboBox* role_;
    QProgressBar* progress_;
    QLabel* status_;
    QDialogButtonBox* buttons_;
    QPushButton* importButton_;
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

} // namespace headroom::ui

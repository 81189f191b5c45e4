#pragma once
// File > Import Metrics (also started by dropping a file on a component). Two steps in one
// dialog: read a source (a file of any supported format, or a Prometheus server) in the
// background with progress and cancel; then see what came in (each series, and the first rows
// as parsed), choose which series to import and what each measures, and import them as one
// undoable step. Errors show in the dialog with file, line and column; nothing is imported.

#include "metrics/csv_import.h"

#include <QDialog>
#include <QFutureWatcher>
#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace headroom::ui {

class ProjectDocument;
class PrometheusSourceWidget;
class SeriesMappingTable;

class ImportMetricsDialog : public QDialog {
    Q_OBJECT
  public:
    ImportMetricsDialog(ProjectDocument* document, QWidget* parent = nullptr);
    ~ImportMetricsDialog() override;

    /// Chooses a file and starts reading it.
    void setFile(const QString& path);
    /// Preselects the component (and a role) a single series will be bound to.
    void setBinding(const QString& componentId, const QString& roleKey = {});
    /// Switches to the Prometheus page.
    PrometheusSourceWidget* showPrometheus();
    /// Reads the current source (the Read button); the mapping table fills when done.
    void read();
    /// Imports what was read, reading first if needed (the Import button).
    void startImport();
    void cancelImport();
    [[nodiscard]] QString errorText() const;
    [[nodiscard]] SeriesMappingTable* mapping() const { return mapping_; }

  signals:
    /// The source was read; the mapping table shows its series.
    void readFinished(int seriesCount);
    /// The series went into the document (one undoable step).
    void imported(int seriesCount);
    /// Reading or importing stopped with this message (nothing was imported).
    void failed(const QString& message);

  private:
    struct Outcome {
        std::optional<metrics::ImportReport> report;
        std::vector<metrics::SeriesStats> stats; ///< per series, computed on the worker
        Error error;
    };
    /// Reading's last step, on the worker thread: each series' figures for the mapping table
    /// (they decode every sample, which the GUI thread must not do).
    static Outcome withStats(metrics::ImportReport report);
    void fileChanged();
    void sourceChanged();
    void finished();
    void apply();
    void setRunning(bool running);
    void showError(const QString& message);
    void updateButtons();

    ProjectDocument* document_;
    QTabWidget* source_;
    QLineEdit* path_;
    QComboBox* format_;
    QComboBox* delimiter_;
    QComboBox* timeColumn_;
    QPlainTextEdit* preview_;
    QCheckBox* skipBadRows_;
    PrometheusSourceWidget* prometheus_;
    QPushButton* readButton_;
    QTabWidget* result_;
    SeriesMappingTable* mapping_;
    QTableWidget* rows_;
    QProgressBar* progress_;
    QLabel* status_;
    QDialogButtonBox* buttons_;
    QPushButton* importButton_;
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::optional<metrics::ImportReport> read_; ///< what the last read found
    bool applyWhenRead_ = false;
    QString presetComponent_;
    QString presetRole_;
};

} // namespace headroom::ui

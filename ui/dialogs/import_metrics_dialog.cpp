#include "dialogs/import_metrics_dialog.h"

#include "dialogs/prometheus_source.h"
#include "dialogs/series_mapping.h"
#include "document/project_document.h"
#include "metrics/metrics_import.h"
#include "net/prometheus_client.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMetaObject>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {
namespace {

enum SourcePage { FilePage, PrometheusPage };

/// The delimiter the first line most likely uses.
QChar guessDelimiter(const QString& line) {
    QChar best = ',';
    qsizetype most = 0;
    for (QChar c : {QChar(','), QChar(';'), QChar('\t')})
        if (line.count(c) > most) {
            most = line.count(c);
            best = c;
        }
    return best;
}

} // namespace

ImportMetricsDialog::ImportMetricsDialog(ProjectDocument* document, QWidget* parent)
    : QDialog(parent), document_(document), source_(new QTabWidget), path_(new QLineEdit),
      format_(new QComboBox), delimiter_(new QComboBox), timeColumn_(new QComboBox),
      preview_(new QPlainTextEdit),
      skipBadRows_(new QCheckBox(tr("Skip rows that do not parse (and count them)"))),
      prometheus_(new PrometheusSourceWidget), readButton_(new QPushButton(tr("Read"))),
      result_(new QTabWidget), mapping_(new SeriesMappingTable), rows_(new QTableWidget),
      progress_(new QProgressBar), status_(new QLabel),
      buttons_(new QDialogButtonBox(QDialogButtonBox::Close)) {
    setWindowTitle(tr("Import Metrics"));
    resize(1040, 720);

    // The file page.
    auto* browse = new QPushButton(tr("Browse\u2026"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Metric File"), path_->text(),
            tr("Metric files (*.csv *.tsv *.txt *.json *.prom);;All files (*)"));
        if (!file.isEmpty())
            setFile(file);
    });
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(path_, 1);
    fileRow->addWidget(browse);
    connect(path_, &QLineEdit::editingFinished, this, &ImportMetricsDialog::fileChanged);
    for (auto format : metrics::allFileFormats())
        format_->addItem(qs(metrics::label(format)), static_cast<int>(format));
    delimiter_->addItem(tr("Detect"), QString());
    delimiter_->addItem(tr("Comma"), QStringLiteral(","));
    delimiter_->addItem(tr("Semicolon"), QStringLiteral(";"));
    delimiter_->addItem(tr("Tab"), QStringLiteral("\t"));
    timeColumn_->addItem(tr("Detect"), -1);
    auto* csvRow = new QHBoxLayout;
    csvRow->addWidget(new QLabel(tr("Delimiter")));
    csvRow->addWidget(delimiter_);
    csvRow->addSpacing(12);
    csvRow->addWidget(new QLabel(tr("Time column")));
    csvRow->addWidget(timeColumn_);
    csvRow->addStretch();
    for (auto* combo : {format_, delimiter_, timeColumn_})
        connect(combo, &QComboBox::activated, this, &ImportMetricsDialog::sourceChanged);
    connect(skipBadRows_, &QCheckBox::toggled, this, &ImportMetricsDialog::sourceChanged);
    preview_->setReadOnly(true);
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    preview_->setPlaceholderText(tr("The first lines of the file appear here."));
    preview_->setMaximumHeight(fontMetrics().lineSpacing() * 7 + 12);
    auto* filePage = new QWidget;
    auto* fileForm = new QFormLayout(filePage);
    fileForm->addRow(tr("File"), fileRow);
    fileForm->addRow(tr("Format"), format_);
    fileForm->addRow(tr("CSV"), csvRow);
    fileForm->addRow(QString(), skipBadRows_);
    fileForm->addRow(tr("First lines"), preview_);
    source_->addTab(filePage, tr("File"));
    source_->addTab(prometheus_, tr("Prometheus server"));
    connect(source_, &QTabWidget::currentChanged, this, [this] {
        read_.reset();
        readButton_->setText(source_->currentIndex() == PrometheusPage ? tr("Fetch") : tr("Read"));
        updateButtons();
    });
    connect(prometheus_, &PrometheusSourceWidget::changed, this, [this] {
        if (source_->currentIndex() == PrometheusPage)
            read_.reset();
        updateButtons();
    });
    connect(readButton_, &QPushButton::clicked, this, &ImportMetricsDialog::read);

    // What was read: the series to map, and the first rows as parsed.
    rows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rows_->verticalHeader()->hide();
    result_->addTab(mapping_, tr("Series"));
    result_->addTab(rows_, tr("Parsed rows"));
    connect(mapping_, &SeriesMappingTable::selectionChanged, this,
            &ImportMetricsDialog::updateButtons);

    progress_->setRange(0, 1000);
    progress_->setVisible(false);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* readRow = new QHBoxLayout;
    readButton_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    readRow->addWidget(readButton_);
    readRow->addWidget(progress_, 1);
    readRow->addStretch(0);

    importButton_ = buttons_->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    importButton_->setDefault(true);
    connect(importButton_, &QPushButton::clicked, this, &ImportMetricsDialog::startImport);
    connect(buttons_, &QDialogButtonBox::rejected, this, [this] {
        if (watcher_.isRunning())
            cancelImport();
        else
            reject();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(source_);
    layout->addLayout(readRow);
    layout->addWidget(result_, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons_);

    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &ImportMetricsDialog::finished);
    updateButtons();
}

ImportMetricsDialog::~ImportMetricsDialog() {
    if (cancel_)
        *cancel_ = true;
    watcher_.waitForFinished();
}

QString ImportMetricsDialog::errorText() const {
    return status_->text();
}

void ImportMetricsDialog::setFile(const QString& path) {
    source_->setCurrentIndex(FilePage);
    path_->setText(path);
    fileChanged();
}

PrometheusSourceWidget* ImportMetricsDialog::showPrometheus() {
    source_->setCurrentIndex(PrometheusPage);
    return prometheus_;
}

void ImportMetricsDialog::setBinding(const QString& componentId, const QString& roleKey) {
    presetComponent_ = componentId;
    presetRole_ = roleKey;
    prometheus_->setPreferredRole(roleKey);
}

void ImportMetricsDialog::fileChanged() {
    const QString path = path_->text();
    preview_->clear();
    status_->clear();
    read_.reset();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        updateButtons();
        return;
    }
    // A few kilobytes: enough to recognise the format and show the first lines.
    const QString head = QString::fromUtf8(file.read(8192));
    preview_->setPlainText(head.section('\n', 0, 9));
    if (const auto format = metrics::detectFileFormat(path.toStdString()))
        format_->setCurrentIndex(format_->findData(static_cast<int>(*format)));
    // The header's names for the time-column choice.
    QString first = head.section('\n', 0, 0).trimmed();
    if (first.startsWith(QChar(0xFEFF)))
        first.remove(0, 1);
    timeColumn_->clear();
    timeColumn_->addItem(tr("Detect"), -1);
    const auto names = first.split(guessDelimiter(first));
    for (int c = 0; c < names.size(); ++c)
        timeColumn_->addItem(
            QStringLiteral("%1: %2").arg(c + 1).arg(names[c].trimmed().remove('"')), c);
    updateButtons();
    read();
}

void ImportMetricsDialog::sourceChanged() {
    read_.reset();
    if (source_->currentIndex() == FilePage && !path_->text().isEmpty())
        read();
    updateButtons();
}

void ImportMetricsDialog::updateButtons() {
    const bool running = watcher_.isRunning();
    const bool haveSource = source_->currentIndex() == PrometheusPage || !path_->text().isEmpty();
    readButton_->setEnabled(!running && haveSource);
    importButton_->setEnabled(!running && haveSource && (!read_ || mapping_->checkedCount() > 0));
    const bool csv = static_cast<metrics::FileFormat>(format_->currentData().toInt()) ==
                         metrics::FileFormat::Csv ||
                     static_cast<metrics::FileFormat>(format_->currentData().toInt()) ==
                         metrics::FileFormat::GrafanaCsv;
    delimiter_->setEnabled(csv);
    timeColumn_->setEnabled(csv);
}

void ImportMetricsDialog::setRunning(bool running) {
    progress_->setVisible(running);
    buttons_->button(QDialogButtonBox::Close)->setText(running ? tr("Cancel") : tr("Close"));
    source_->setEnabled(!running);
    updateButtons();
}

void ImportMetricsDialog::showError(const QString& message) {
    status_->setText(QStringLiteral("\u26a0 ") + message);
    status_->setStyleSheet(QStringLiteral("color: #b91c1c;"));
}

void ImportMetricsDialog::read() {
    if (watcher_.isRunning())
        return;
    status_->clear();
    status_->setStyleSheet({});
    read_.reset();
    mapping_->setRowCount(0);
    rows_->clear();
    rows_->setRowCount(0);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    QPointer<QProgressBar> bar = progress_;
    auto cancel = cancel_;
    auto report = [bar, cancel](double fraction) {
        QMetaObject::invokeMethod(
            bar,
            [bar, fraction] {
                if (bar)
                    bar->setValue(static_cast<int>(fraction * 1000));
            },
            Qt::QueuedConnection);
        return !*cancel;
    };

    if (source_->currentIndex() == PrometheusPage) {
        auto request = prometheus_->request(QDateTime::currentMSecsSinceEpoch());
        if (!request) {
            showError(qs(request.error().describe()));
            applyWhenRead_ = false;
            emit failed(status_->text());
            return;
        }
        prometheus_->remember();
        progress_->setValue(0);
        setRunning(true);
        watcher_.setFuture(QtConcurrent::run([request = *request, report]() -> Outcome {
            auto fetched = net::fetchRange(request, report);
            if (!fetched)
                return {std::nullopt, {}, fetched.error()};
            return withStats(std::move(*fetched));
        }));
        return;
    }
    if (path_->text().isEmpty())
        return;
    metrics::MetricsImportOptions options;
    options.csv.skipBadRows = skipBadRows_->isChecked();
    if (const auto d = delimiter_->currentData().toString(); !d.isEmpty())
        options.csv.delimiter = d.front().toLatin1();
    if (const int column = timeColumn_->currentData().toInt(); column >= 0)
        options.csv.timeColumn = column;
    const auto format = static_cast<metrics::FileFormat>(format_->currentData().toInt());
    const auto path = path_->text().toStdString();
    progress_->setValue(0);
    setRunning(true);
    watcher_.setFuture(QtConcurrent::run([path, format, options, cancel, report]() -> Outcome {
        auto imported = metrics::importMetricsFile(path, format, options, report);
        if (!imported)
            return {std::nullopt, {}, imported.error()};
        if (*cancel)
            return {std::nullopt, {}, Error{"import cancelled; nothing was imported", path, ""}};
        return withStats(std::move(*imported));
    }));
}

ImportMetricsDialog::Outcome ImportMetricsDialog::withStats(metrics::ImportReport report) {
    Outcome outcome;
    for (const auto& series : report.series) {
        auto stats = series->stats();
        outcome.stats.push_back(stats ? *stats : metrics::SeriesStats{});
    }
    outcome.report = std::move(report);
    return outcome;
}

void ImportMetricsDialog::startImport() {
    if (read_) {
        apply();
        return;
    }
    applyWhenRead_ = true;
    if (!watcher_.isRunning())
        read();
}

void ImportMetricsDialog::cancelImport() {
    applyWhenRead_ = false;
    if (cancel_)
        *cancel_ = true;
}

void ImportMetricsDialog::finished() {
    setRunning(false);
    auto outcome = watcher_.result();
    if (!outcome.report) {
        applyWhenRead_ = false;
        showError(qs(outcome.error.describe()));
        emit failed(status_->text());
        return;
    }
    read_ = std::move(outcome.report);
    mapping_->setSeries(document_->project(), read_->series, outcome.stats, presetComponent_,
                        presetRole_);
    SeriesMappingTable::fillParsedRows(rows_, read_->series);
    std::size_t samples = 0;
    for (const auto& s : read_->series)
        samples += s->size();
    QStringList lines{tr("Read %n series, %1 samples. Choose what to import and what each "
                         "measures, then Import.",
                         nullptr, static_cast<int>(read_->series.size()))
                          .arg(samples)};
    for (const auto& w : read_->warnings)
        lines.append(QStringLiteral("\u2139 ") + qs(w));
    status_->setText(lines.join('\n'));
    updateButtons();
    layout()->activate();
    emit readFinished(static_cast<int>(read_->series.size()));
    if (applyWhenRead_)
        apply();
}

void ImportMetricsDialog::apply() {
    applyWhenRead_ = false;
    if (!read_)
        return;
    auto chosen = mapping_->chosen();
    if (!chosen) {
        showError(qs(chosen.error().describe()));
        emit failed(status_->text());
        return;
    }
    if (chosen->empty()) {
        showError(tr("No series is ticked for import."));
        return;
    }
    status_->setStyleSheet({});
    Project project = document_->project();
    std::size_t samples = 0;
    int bound = 0;
    for (auto& entry : *chosen) {
        samples += entry.data->size();
        bound += !entry.component.empty();
        project.series.push_back(std::move(entry));
    }
    const int count = static_cast<int>(chosen->size());
    document_->replaceProject(std::move(project), tr("Import %n metric series", nullptr, count));
    QStringList lines{tr("Imported %1 series, %2 samples; %3 bound to a component.")
                          .arg(count)
                          .arg(samples)
                          .arg(bound)};
    for (const auto& w : read_->warnings)
        lines.append(QStringLiteral("\u2139 ") + qs(w));
    status_->setText(lines.join('\n'));
    read_.reset(); // importing again would add the same series twice
    mapping_->setRowCount(0);
    updateButtons();
    emit imported(count);
}

} // namespace headroom::ui

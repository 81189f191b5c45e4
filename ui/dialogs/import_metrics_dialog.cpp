#include "dialogs/import_metrics_dialog.h"

#include "document/project_document.h"
#include "metrics/metrics_import.h"
#include "metrics/roles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMetaObject>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace headroom::ui {

ImportMetricsDialog::ImportMetricsDialog(ProjectDocument* document, QWidget* parent)
    : QDialog(parent), document_(document), path_(new QLineEdit), format_(new QComboBox),
      preview_(new QPlainTextEdit), skipBadRows_(new QCheckBox(tr("Skip rows that do not parse"))),
      component_(new QComboBox), role_(new QComboBox), progress_(new QProgressBar),
      status_(new QLabel), buttons_(new QDialogButtonBox(QDialogButtonBox::Close)) {
    setWindowTitle(tr("Import Metrics"));
    resize(640, 520);
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
    preview_->setReadOnly(true);
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    preview_->setPlaceholderText(tr("The first lines of the file appear here."));

    component_->addItem(tr("(not bound)"), QString());
    for (const auto& c : document_->project().components)
        component_->addItem(
            qs(c.name.empty() ? c.id : c.name) + QStringLiteral("  (") + qs(c.id) + ")", qs(c.id));
    for (const auto& role : metrics::allRoles())
        role_->addItem(qs(role.label) + QStringLiteral(" (") + qs(role.unit) + ")", qs(role.key));

    progress_->setRange(0, 1000);
    progress_->setVisible(false);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("File"), fileRow);
    form->addRow(tr("Format"), format_);
    form->addRow(QString(), skipBadRows_);
    form->addRow(tr("Bind to component"), component_);
    form->addRow(tr("as"), role_);

    importButton_ = buttons_->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    connect(importButton_, &QPushButton::clicked, this, &ImportMetricsDialog::startImport);
    connect(buttons_, &QDialogButtonBox::rejected, this, [this] {
        if (watcher_.isRunning())
            cancelImport();
        else
            reject();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview")));
    layout->addWidget(preview_, 1);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(buttons_);

    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &ImportMetricsDialog::finished);
    importButton_->setEnabled(false);
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
    path_->setText(path);
    fileChanged();
}

void ImportMetricsDialog::setBinding(const QString& componentId, const QString& roleKey) {
    component_->setCurrentIndex(std::max(0, component_->findData(componentId)));
    if (!roleKey.isEmpty())
        role_->setCurrentIndex(std::max(0, role_->findData(roleKey)));
}

void ImportMetricsDialog::fileChanged() {
    const QString path = path_->text();
    QFile file(path);
    preview_->clear();
    status_->clear();
    importButton_->setEnabled(false);
    if (!file.open(QIODevice::ReadOnly)) {
        status_->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    // A few kilobytes: enough to recognise the format and show the first lines.
    const QString head = QString::fromUtf8(file.read(8192));
    preview_->setPlainText(head.section('\n', 0, 14));
    if (const auto format = metrics::detectFileFormat(path.toStdString()))
        format_->setCurrentIndex(format_->findData(static_cast<int>(*format)));
    importButton_->setEnabled(true);
}

void ImportMetricsDialog::setRunning(bool running) {
    progress_->setVisible(running);
    importButton_->setEnabled(!running);
    buttons_->button(QDialogButtonBox::Close)->setText(running ? tr("Cancel") : tr("Close"));
}

void ImportMetricsDialog::startImport() {
    if (watcher_.isRunning() || path_->text().isEmpty())
        return;
    status_->clear();
    progress_->setValue(0);
    setRunning(true);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    metrics::MetricsImportOptions options;
    options.csv.skipBadRows = skipBadRows_->isChecked();
    const auto format = static_cast<metrics::FileFormat>(format_->currentData().toInt());
    const auto path = path_->text().toStdString();
    QPointer<QProgressBar> bar = progress_;
    watcher_.setFuture(
        QtConcurrent::run([path, format, options, cancel = cancel_, bar]() -> Outcome {
            auto report = metrics::importMetricsFile(path, format, options, [&](double fraction) {
                QMetaObject::invokeMethod(
                    bar,
                    [bar, fraction] {
                        if (bar)
                            bar->setValue(static_cast<int>(fraction * 1000));
                    },
                    Qt::QueuedConnection);
                return !*cancel;
            });
            if (!report)
                return {std::nullopt, report.error()};
            if (*cancel)
                return {std::nullopt, Error{"import cancelled; nothing was imported", path, ""}};
            return {std::move(*report), {}};
        }));
}

void ImportMetricsDialog::cancelImport() {
    if (cancel_)
        *cancel_ = true;
}

void ImportMetricsDialog::finished() {
    setRunning(false);
    auto outcome = watcher_.result();
    if (!outcome.report) {
        status_->setText(QStringLiteral("\u26a0 ") + qs(outcome.error.describe()));
        status_->setStyleSheet(QStringLiteral("color: #b91c1c;"));
        emit failed(status_->text());
        return;
    }
    status_->setStyleSheet({});
    auto& report = *outcome.report;
    const QString component = component_->currentData().toString();
    const QString role = role_->currentData().toString();
    const bool bind = !component.isEmpty() && report.series.size() == 1;
    Project project = document_->project();
    for (const auto& series : report.series)
        project.series.push_back(
            {series, bind ? ss(component) : std::string(), bind ? ss(role) : std::string()});
    document_->replaceProject(std::move(project), tr("Import %n metric series", nullptr,
                                                     static_cast<int>(report.series.size())));
    QStringList lines;
    std::size_t samples = 0;
    for (const auto& s : report.series)
        samples += s->size();
    lines.append(tr("Imported %1 series, %2 samples.").arg(report.series.size()).arg(samples));
    if (!component.isEmpty() && !bind)
        lines.append(tr("Several series came in, so none was bound; bind one at a time with "
                        "headroom-cli import --column."));
    for (const auto& w : report.warnings)
        lines.append(QStringLiteral("\u2139 ") + qs(w));
    status_->setText(lines.join('\n'));
    emit imported(static_cast<int>(report.series.size()));
}

} // namespace headroom::ui

#include "dialogs/scenario_editor.h"

#include "document/project_document.h"
#include "panels/scenario_preview.h"
#include "whatif/setup.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

namespace headroom::ui {
namespace {

// The transforms table's columns; a kind uses some of them (the rest are greyed out).
enum TransformColumn { kKind, kFactor, kAt, kRise, kDecay, kPercent, kCompounded, kTimes };
// The deploys table's columns.
enum DeployColumn { kDeployAt, kTier, kSurge, kUnavailable };

constexpr TransformKind kTransformKinds[] = {TransformKind::Scale, TransformKind::Growth,
                                             TransformKind::Step, TransformKind::Spike,
                                             TransformKind::Repeat};

QString transformName(TransformKind kind) {
    switch (kind) {
    case TransformKind::Scale:
        return QObject::tr("Scale by");
    case TransformKind::Growth:
        return QObject::tr("Grow per month");
    case TransformKind::Step:
        return QObject::tr("Step at");
    case TransformKind::Spike:
        return QObject::tr("Spike at");
    case TransformKind::Repeat:
        return QObject::tr("Repeat");
    }
    return {};
}

QDoubleSpinBox* number(double low, double high, int decimals, const QString& suffix = {}) {
    auto* box = new QDoubleSpinBox;
    box->setRange(low, high);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    box->setFrame(false);
    return box;
}

template <typename T> T* cell(QTableWidget* table, int row, int column) {
    return qobject_cast<T*>(table->cellWidget(row, column));
}

/// The row the user is working in: the one holding the focused cell widget (the table's
/// current row does not follow focus into cell widgets), else the current row, else the last.
int rowInUse(QTableWidget* table) {
    for (QWidget* w = QApplication::focusWidget(); w; w = w->parentWidget())
        if (w->parentWidget() == table->viewport()) {
            const auto index = table->indexAt(w->geometry().center());
            if (index.isValid())
                return index.row();
        }
    return table->currentRow() >= 0 ? table->currentRow() : table->rowCount() - 1;
}

} // namespace

ScenarioEditor::ScenarioEditor(const Project& project, QWidget* parent)
    : QWidget(parent), project_(project), scenarios_(project.scenarios), list_(new QListWidget),
      duplicateButton_(new QPushButton(tr("Duplicate"))),
      removeButton_(new QPushButton(tr("Remove"))), form_(new QWidget), name_(new QLineEdit),
      description_(new QLineEdit), source_(new QComboBox), component_(new QComboBox),
      shape_(new QGroupBox(tr("Shape"))), mean_(number(0, 1e9, 1, tr(" req/s"))),
      days_(number(1.0 / 1440, 3660, 3, tr(" days"))), amplitude_(number(0, 100, 1, tr(" %"))),
      peakHour_(number(0, 24, 1, tr(" h"))), weekend_(number(0, 100, 2, tr(" x"))),
      noise_(new QCheckBox(tr("Poisson noise (arrivals per tick drawn at random)"))),
      seed_(number(0, 9e15, 0)), transforms_(new QTableWidget(0, 8)),
      deploys_(new QTableWidget(0, 4)), problem_(new QLabel), preview_(new ScenarioPreview) {
    for (auto* box : {mean_, days_, amplitude_, peakHour_, weekend_, seed_})
        box->setFrame(true);
    source_->addItem(tr("Synthetic shape"));
    source_->addItem(tr("Recorded arrival rate"));
    source_->setToolTip(tr("A synthetic daily and weekly shape, or the arrival-rate series "
                           "bound to a component, replayed as it was measured"));
    component_->setToolTip(tr("Where the load enters: a synthetic shape can stand for the rate "
                              "into the whole system or at one component"));
    name_->setPlaceholderText(tr("e.g. Black Friday week"));
    description_->setPlaceholderText(tr("What the load is and where its numbers come from"));
    mean_->setToolTip(tr("The average rate over a weekday"));
    amplitude_->setToolTip(tr("The daily swing: the peak is the mean x (1 + swing), the trough "
                              "the mean x (1 - swing)"));
    peakHour_->setToolTip(tr("Hour of the daily peak, UTC"));
    weekend_->setToolTip(tr("Rate multiplier on Saturday and Sunday"));
    days_->setToolTip(tr("Length of the scenario; synthetic scenarios start on a Monday at "
                         "00:00 UTC"));

    // The list and its buttons.
    auto* addButton = new QPushButton(tr("Add"));
    addButton->setToolTip(tr("A new synthetic scenario: a week at the drawn load"));
    auto* listSide = new QWidget;
    auto* listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(list_);
    auto* listButtons = new QHBoxLayout;
    listButtons->addWidget(addButton);
    listButtons->addWidget(duplicateButton_);
    listButtons->addWidget(removeButton_);
    listLayout->addLayout(listButtons);

    // The form.
    auto* shapeForm = new QFormLayout(shape_);
    auto* row1 = new QHBoxLayout;
    row1->addWidget(mean_);
    row1->addWidget(new QLabel(tr("for")));
    row1->addWidget(days_);
    row1->addStretch();
    shapeForm->addRow(tr("Mean rate"), row1);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(amplitude_);
    row2->addWidget(new QLabel(tr("peaking at")));
    row2->addWidget(peakHour_);
    row2->addWidget(new QLabel(tr("weekends")));
    row2->addWidget(weekend_);
    row2->addStretch();
    shapeForm->addRow(tr("Daily swing"), row2);
    auto* row3 = new QHBoxLayout;
    row3->addWidget(noise_);
    row3->addWidget(new QLabel(tr("seed")));
    row3->addWidget(seed_);
    row3->addStretch();
    shapeForm->addRow(QString(), row3);

    transforms_->setHorizontalHeaderLabels({tr("Transform"), tr("Factor"), tr("At hour"),
                                            tr("Rise, min"), tr("Decay, min"), tr("Per month"),
                                            tr("Compound"), tr("Times")});
    deploys_->setHorizontalHeaderLabels(
        {tr("At hour"), tr("Tier"), tr("Max surge"), tr("Max unavailable")});
    for (auto* table : {transforms_, deploys_}) {
        table->verticalHeader()->hide();
        // Every column shares the width: the table never scrolls sideways.
        table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
        table->horizontalHeader()->setMinimumSectionSize(56);
        table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setSelectionMode(QAbstractItemView::SingleSelection);
        table->setMinimumHeight(80);
    }
    transforms_->setToolTip(tr("Applied in order to the shape or the recording: scale it, grow "
                               "it, step it up, add a spike, or repeat it"));
    deploys_->setToolTip(tr("Rolling updates during the scenario: every pod replaced, at most "
                            "max surge above the count and max unavailable below it (a count "
                            "such as 1 or a percent such as 25%)"));
    const auto tableWithButtons = [this](QTableWidget* table, const QString& add, auto onAdd) {
        auto* box = new QWidget;
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(table);
        auto* buttons = new QHBoxLayout;
        auto* addRow = new QPushButton(add);
        auto* removeRow = new QPushButton(tr("Remove"));
        buttons->addWidget(addRow);
        buttons->addWidget(removeRow);
        buttons->addStretch();
        layout->addLayout(buttons);
        connect(addRow, &QPushButton::clicked, this, onAdd);
        connect(removeRow, &QPushButton::clicked, this, [this, table] {
            const int row = rowInUse(table);
            if (row < 0)
                return;
            // A cell being edited commits on losing focus: while the row goes, that must not
            // write the half-removed table into the scenario.
            loading_ = true;
            if (auto* focused = QApplication::focusWidget();
                focused && table->isAncestorOf(focused))
                focused->clearFocus();
            table->removeRow(row);
            loading_ = false;
            takeForm();
        });
        return box;
    };

    auto* form = new QFormLayout(form_);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Description"), description_);
    auto* sourceRow = new QHBoxLayout;
    sourceRow->addWidget(source_);
    sourceRow->addWidget(new QLabel(tr("at")));
    sourceRow->addWidget(component_, 1);
    form->addRow(tr("Load"), sourceRow);
    form->addRow(shape_);
    form->addRow(tr("Transforms"),
                 tableWithButtons(transforms_, tr("Add transform"), [this] { addTransform(); }));
    form->addRow(tr("Deploys"),
                 tableWithButtons(deploys_, tr("Add deploy"), [this] { addDeploy(); }));
    problem_->setWordWrap(true);
    problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(problem_);

    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(listSide);
    top->addWidget(form_);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 4);
    top->setChildrenCollapsible(false);
    auto* whole = new QSplitter(Qt::Vertical);
    whole->addWidget(top);
    whole->addWidget(preview_);
    preview_->setMinimumHeight(230);
    whole->setStretchFactor(0, 3);
    whole->setStretchFactor(1, 2);
    whole->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(whole);

    checkTimer_.setSingleShot(true);
    checkTimer_.setInterval(250);
    connect(&checkTimer_, &QTimer::timeout, this, &ScenarioEditor::check);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        current_ = row;
        showCurrent();
    });
    connect(addButton, &QPushButton::clicked, this, &ScenarioEditor::addScenario);
    connect(duplicateButton_, &QPushButton::clicked, this, &ScenarioEditor::duplicateScenario);
    connect(removeButton_, &QPushButton::clicked, this, &ScenarioEditor::removeScenario);
    for (auto* edit : {name_, description_})
        connect(edit, &QLineEdit::textEdited, this, &ScenarioEditor::takeForm);
    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        if (loading_)
            return;
        fillComponents(source_->currentIndex() == 1);
        takeForm();
    });
    connect(component_, &QComboBox::currentIndexChanged, this, &ScenarioEditor::takeForm);
    for (auto* box : {mean_, days_, amplitude_, peakHour_, weekend_})
        connect(box, &QDoubleSpinBox::valueChanged, this, &ScenarioEditor::takeForm);
    connect(noise_, &QCheckBox::toggled, this, &ScenarioEditor::takeForm);
    connect(seed_, &QDoubleSpinBox::valueChanged, this, &ScenarioEditor::takeForm);

    refreshList();
    list_->setCurrentRow(scenarios_.empty() ? -1 : 0);
    showCurrent();
}

void ScenarioEditor::select(const QString& name) {
    for (int i = 0; i < static_cast<int>(scenarios_.size()); ++i)
        if (qs(scenarios_[i].name) == name) {
            list_->setCurrentRow(i);
            return;
        }
}

QString ScenarioEditor::blockingProblem() {
    std::set<std::string> seen;
    for (int i = 0; i < static_cast<int>(scenarios_.size()); ++i) {
        const auto& s = scenarios_[static_cast<std::size_t>(i)];
        if (s.name.empty()) {
            choose(i);
            return tr("A scenario has no name.");
        }
        if (!seen.insert(s.name).second) {
            choose(i);
            return tr("Two scenarios are called \"%1\"; runs choose a scenario by its name.")
                .arg(qs(s.name));
        }
    }
    return {};
}

void ScenarioEditor::choose(int row) {
    {
        QSignalBlocker block(list_);
        list_->setCurrentRow(row);
    }
    current_ = row;
    showCurrent();
}

QString ScenarioEditor::freeName(const QString& base) const {
    QString name = base;
    for (int i = 2;; ++i) {
        const bool taken = std::any_of(scenarios_.begin(), scenarios_.end(),
                                       [&](const auto& s) { return qs(s.name) == name; });
        if (!taken)
            return name;
        name = QStringLiteral("%1 (%2)").arg(base).arg(i);
    }
}

void ScenarioEditor::addScenario() {
    Scenario s;
    s.name = freeName(tr("New scenario")).toStdString();
    // The drawn load as the mean: what the analysis shows is where a user starts from.
    double entering = 0;
    for (const auto& c : project_.components)
        if (c.kind == ComponentKind::Client)
            entering += c.number("arrival_rate_rps");
    if (entering > 0)
        s.synthetic.meanRps = entering;
    scenarios_.push_back(s);
    refreshList();
    list_->setCurrentRow(static_cast<int>(scenarios_.size()) - 1);
    name_->setFocus();
    name_->selectAll();
    emit changed();
}

void ScenarioEditor::duplicateScenario() {
    if (current_ < 0)
        return;
    auto copy = scenarios_[static_cast<std::size_t>(current_)];
    copy.name = freeName(qs(copy.name)).toStdString();
    scenarios_.insert(scenarios_.begin() + current_ + 1, copy);
    refreshList();
    list_->setCurrentRow(current_ + 1);
    emit changed();
}

void ScenarioEditor::removeScenario() {
    if (current_ < 0)
        return;
    const int row = current_;
    scenarios_.erase(scenarios_.begin() + row);
    current_ = -1;
    refreshList();
    choose(std::min(row, static_cast<int>(scenarios_.size()) - 1));
    emit changed();
}

void ScenarioEditor::refreshList() {
    QSignalBlocker block(list_);
    list_->clear();
    for (const auto& s : scenarios_) {
        auto* item = new QListWidgetItem(qs(s.name));
        project_.scenarios = scenarios_;
        if (const auto problem = problemOf(s)) {
            item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setToolTip(qs(problem->describe()));
        }
        list_->addItem(item);
    }
    if (current_ >= 0 && current_ < list_->count())
        list_->setCurrentRow(current_);
}

void ScenarioEditor::fillComponents(bool recorded) {
    const QString was = component_->currentData().toString();
    QSignalBlocker block(component_);
    component_->clear();
    if (recorded) {
        // The components that have an arrival-rate series to replay.
        std::set<std::string> withRate;
        for (const auto& s : project_.series)
            if (s.role == "arrival_rate" && !s.component.empty())
                withRate.insert(s.component);
        for (const auto& c : project_.components)
            if (withRate.count(c.id))
                component_->addItem(qs(c.id), qs(c.id));
        if (component_->count() == 0)
            component_->addItem(tr("(no component has an arrival-rate series)"), QString());
    } else {
        component_->addItem(tr("the whole system (every client)"), QString());
        for (const auto& c : project_.components)
            if (c.kind != ComponentKind::Client)
                component_->addItem(qs(c.id), qs(c.id));
    }
    if (const int i = component_->findData(was); i >= 0)
        component_->setCurrentIndex(i);
}

void ScenarioEditor::showCurrent() {
    loading_ = true;
    const bool any = current_ >= 0 && current_ < static_cast<int>(scenarios_.size());
    form_->setEnabled(any);
    duplicateButton_->setEnabled(any);
    removeButton_->setEnabled(any);
    const Scenario s = any ? scenarios_[static_cast<std::size_t>(current_)] : Scenario{};
    name_->setText(any ? qs(s.name) : QString());
    description_->setText(qs(s.description));
    source_->setCurrentIndex(s.recorded ? 1 : 0);
    fillComponents(s.recorded);
    if (component_->findData(qs(s.component)) < 0) // not offered now: kept, and the check says why
        component_->addItem(qs(s.component), qs(s.component));
    component_->setCurrentIndex(component_->findData(qs(s.component)));
    shape_->setEnabled(!s.recorded);
    mean_->setValue(s.synthetic.meanRps);
    days_->setValue(s.synthetic.days);
    amplitude_->setValue(s.synthetic.dailyAmplitude * 100);
    peakHour_->setValue(s.synthetic.peakHour);
    weekend_->setValue(s.synthetic.weekendFactor);
    noise_->setChecked(s.synthetic.poissonNoise);
    seed_->setValue(static_cast<double>(s.synthetic.seed));
    transforms_->setRowCount(0);
    for (const auto& t : s.transforms) {
        transforms_->insertRow(transforms_->rowCount());
        setTransformRow(transforms_->rowCount() - 1, t);
    }
    deploys_->setRowCount(0);
    for (const auto& d : s.deploys) {
        deploys_->insertRow(deploys_->rowCount());
        setDeployRow(deploys_->rowCount() - 1, d);
    }
    loading_ = false;
    shown_ = fromForm();
    check();
}

void ScenarioEditor::setTransformRow(int row, const ScenarioTransform& t) {
    auto* kind = new QComboBox;
    kind->setFrame(false);
    for (const auto k : kTransformKinds)
        kind->addItem(transformName(k), static_cast<int>(k));
    kind->setCurrentIndex(kind->findData(static_cast<int>(t.kind)));
    transforms_->setCellWidget(row, kKind, kind);
    const auto put = [&](int column, QDoubleSpinBox* box, double value) {
        box->setValue(value);
        transforms_->setCellWidget(row, column, box);
        connect(box, &QDoubleSpinBox::valueChanged, this, &ScenarioEditor::takeForm);
    };
    put(kFactor, number(0, 1e6, 2, tr(" x")), t.factor);
    put(kAt, number(0, 24 * 3660.0, 2), t.atHours);
    put(kRise, number(0, 1e5, 1), t.riseMinutes);
    put(kDecay, number(0.01, 1e6, 1), t.decayMinutes);
    put(kPercent, number(-100, 1e4, 1, tr(" %")), t.percentPerMonth);
    auto* compounded = new QCheckBox;
    compounded->setChecked(t.compounded);
    transforms_->setCellWidget(row, kCompounded, compounded);
    auto* times = new QSpinBox;
    times->setFrame(false);
    times->setRange(1, 1000);
    times->setValue(t.times);
    transforms_->setCellWidget(row, kTimes, times);
    connect(kind, &QComboBox::currentIndexChanged, this, [this, kind] {
        for (int r = 0; r < transforms_->rowCount(); ++r)
            if (transforms_->cellWidget(r, kKind) == kind)
                enableTransformCells(r);
        takeForm();
    });
    connect(compounded, &QCheckBox::toggled, this, &ScenarioEditor::takeForm);
    connect(times, &QSpinBox::valueChanged, this, &ScenarioEditor::takeForm);
    enableTransformCells(row);
}

void ScenarioEditor::enableTransformCells(int row) {
    const auto kind =
        static_cast<TransformKind>(cell<QComboBox>(transforms_, row, kKind)->currentData().toInt());
    const auto uses = [&](int column) {
        switch (kind) {
        case TransformKind::Scale:
            return column == kFactor;
        case TransformKind::Growth:
            return column == kPercent || column == kCompounded;
        case TransformKind::Step:
            return column == kFactor || column == kAt;
        case TransformKind::Spike:
            return column == kFactor || column == kAt || column == kRise || column == kDecay;
        case TransformKind::Repeat:
            return column == kTimes;
        }
        return false;
    };
    for (int column = kFactor; column <= kTimes; ++column)
        if (auto* w = transforms_->cellWidget(row, column))
            w->setEnabled(uses(column));
}

void ScenarioEditor::setDeployRow(int row, const RollingDeploy& d) {
    auto* at = number(0, 24 * 3660.0, 2);
    at->setValue(d.atHours);
    deploys_->setCellWidget(row, kDeployAt, at);
    auto* tier = new QComboBox;
    tier->setFrame(false);
    tier->addItem(tr("every tier simulated"), QString());
    for (const auto& c : project_.components)
        if (c.kind == ComponentKind::Service || c.kind == ComponentKind::WorkerGroup)
            tier->addItem(qs(c.id), qs(c.id));
    if (const int i = tier->findData(qs(d.component)); i >= 0)
        tier->setCurrentIndex(i);
    else if (!d.component.empty()) { // a tier no longer drawn: kept, and reported by the check
        tier->addItem(qs(d.component), qs(d.component));
        tier->setCurrentIndex(tier->count() - 1);
    }
    deploys_->setCellWidget(row, kTier, tier);
    auto* surge = new QLineEdit(qs(d.maxSurge));
    auto* unavailable = new QLineEdit(qs(d.maxUnavailable));
    for (auto* edit : {surge, unavailable}) {
        edit->setFrame(false);
        edit->setPlaceholderText(QStringLiteral("25%"));
        connect(edit, &QLineEdit::textEdited, this, &ScenarioEditor::takeForm);
    }
    deploys_->setCellWidget(row, kSurge, surge);
    deploys_->setCellWidget(row, kUnavailable, unavailable);
    connect(at, &QDoubleSpinBox::valueChanged, this, &ScenarioEditor::takeForm);
    connect(tier, &QComboBox::currentIndexChanged, this, &ScenarioEditor::takeForm);
}

void ScenarioEditor::addTransform() {
    if (current_ < 0)
        return;
    ScenarioTransform spike;
    spike.kind = TransformKind::Spike;
    spike.factor = 3;
    spike.atHours = 12;
    transforms_->insertRow(transforms_->rowCount());
    setTransformRow(transforms_->rowCount() - 1, spike);
    takeForm();
}

void ScenarioEditor::addDeploy() {
    if (current_ < 0)
        return;
    RollingDeploy d;
    d.atHours = 12;
    deploys_->insertRow(deploys_->rowCount());
    setDeployRow(deploys_->rowCount() - 1, d);
    takeForm();
}

Scenario ScenarioEditor::fromForm() const {
    Scenario s;
    s.name = name_->text().trimmed().toStdString();
    s.description = description_->text().trimmed().toStdString();
    s.recorded = source_->currentIndex() == 1;
    s.component = component_->currentData().toString().toStdString();
    auto& l = s.synthetic;
    l.meanRps = mean_->value();
    l.days = days_->value();
    l.dailyAmplitude = amplitude_->value() / 100;
    l.peakHour = peakHour_->value();
    l.weekendFactor = weekend_->value();
    l.poissonNoise = noise_->isChecked();
    l.seed = static_cast<std::uint64_t>(seed_->value());
    for (int r = 0; r < transforms_->rowCount(); ++r) {
        if (!cell<QComboBox>(transforms_, r, kKind) || !cell<QSpinBox>(transforms_, r, kTimes))
            continue;
        ScenarioTransform t;
        t.kind = static_cast<TransformKind>(
            cell<QComboBox>(transforms_, r, kKind)->currentData().toInt());
        t.factor = cell<QDoubleSpinBox>(transforms_, r, kFactor)->value();
        t.atHours = cell<QDoubleSpinBox>(transforms_, r, kAt)->value();
        t.riseMinutes = cell<QDoubleSpinBox>(transforms_, r, kRise)->value();
        t.decayMinutes = cell<QDoubleSpinBox>(transforms_, r, kDecay)->value();
        t.percentPerMonth = cell<QDoubleSpinBox>(transforms_, r, kPercent)->value();
        t.compounded = cell<QCheckBox>(transforms_, r, kCompounded)->isChecked();
        t.times = cell<QSpinBox>(transforms_, r, kTimes)->value();
        s.transforms.push_back(t);
    }
    for (int r = 0; r < deploys_->rowCount(); ++r) {
        if (!cell<QLineEdit>(deploys_, r, kUnavailable))
            continue;
        RollingDeploy d;
        d.atHours = cell<QDoubleSpinBox>(deploys_, r, kDeployAt)->value();
        d.component = cell<QComboBox>(deploys_, r, kTier)->currentData().toString().toStdString();
        d.maxSurge = cell<QLineEdit>(deploys_, r, kSurge)->text().trimmed().toStdString();
        d.maxUnavailable =
            cell<QLineEdit>(deploys_, r, kUnavailable)->text().trimmed().toStdString();
        s.deploys.push_back(d);
    }
    return s;
}

void ScenarioEditor::takeForm() {
    if (loading_ || current_ < 0 || current_ >= static_cast<int>(scenarios_.size()))
        return;
    const auto now = fromForm();
    shape_->setEnabled(!now.recorded);
    auto& slot = scenarios_[static_cast<std::size_t>(current_)];
    auto merged = slot;
    const auto take = [](auto& to, const auto& was, const auto& is) {
        if (!(was == is))
            to = is;
    };
    take(merged.name, shown_.name, now.name);
    take(merged.description, shown_.description, now.description);
    take(merged.recorded, shown_.recorded, now.recorded);
    take(merged.component, shown_.component, now.component);
    auto& l = merged.synthetic;
    take(l.meanRps, shown_.synthetic.meanRps, now.synthetic.meanRps);
    take(l.days, shown_.synthetic.days, now.synthetic.days);
    take(l.dailyAmplitude, shown_.synthetic.dailyAmplitude, now.synthetic.dailyAmplitude);
    take(l.peakHour, shown_.synthetic.peakHour, now.synthetic.peakHour);
    take(l.weekendFactor, shown_.synthetic.weekendFactor, now.synthetic.weekendFactor);
    take(l.poissonNoise, shown_.synthetic.poissonNoise, now.synthetic.poissonNoise);
    take(l.seed, shown_.synthetic.seed, now.synthetic.seed);
    take(merged.transforms, shown_.transforms, now.transforms);
    take(merged.deploys, shown_.deploys, now.deploys);
    shown_ = now;
    if (merged == slot)
        return;
    slot = std::move(merged);
    if (auto* item = list_->item(current_))
        item->setText(qs(slot.name));
    checkTimer_.start();
    emit changed();
}

std::optional<Error> ScenarioEditor::problemOf(const Scenario& s) {
    // A recorded scenario's check reads its series: each version is checked once.
    const auto key = scenarioToJson(s);
    if (const auto found = checked_.find(key); found != checked_.end())
        return found->second;
    auto problem = whatif::checkScenario(project_, s);
    checked_.emplace(key, problem);
    return problem;
}

void ScenarioEditor::check() {
    project_.scenarios = scenarios_;
    if (current_ < 0 || current_ >= static_cast<int>(scenarios_.size())) {
        problem_->clear();
        preview_->show(project_, {});
        return;
    }
    const auto& s = scenarios_[static_cast<std::size_t>(current_)];
    const auto problem = problemOf(s);
    if (problem) {
        problem_->setText(tr("<span style='color:#b3261e'>%1</span>")
                              .arg(qs(problem->describe()).toHtmlEscaped()));
    } else {
        problem_->setText(tr("Runs as it is."));
    }
    if (auto* item = list_->item(current_)) {
        item->setIcon(problem ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
        item->setToolTip(problem ? qs(problem->describe()) : QString());
    }
    // A project holding only this scenario: names may repeat (or be empty) while editing.
    Project alone = project_;
    alone.scenarios = {s};
    preview_->show(alone, s.name);
}

} // namespace headroom::ui

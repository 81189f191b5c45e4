#include "panels/property_panel.h"

#include "document/project_document.h"
#include "model/property.h"
#include "model/validation.h"
#include "panels/property_editors.h"
#include "style/kind_style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace headroom::ui {
namespace {

QString rangeText(const PropertyDescriptor& property) {
    if (!property.isNumeric())
        return {};
    const QString unit = property.unit.empty() ? QString() : " " + qs(property.unit);
    return QObject::tr("Range %1 to %2%3")
        .arg(qs(formatNumber(property.min)), qs(formatNumber(property.max)), unit);
}

/// A line edit that commits on Enter or focus-out, showing the model's text otherwise.
QLineEdit* textEditor(QWidget* parent, const std::function<void(const QString&)>& commit) {
    auto* line = new QLineEdit(parent);
    QObject::connect(line, &QLineEdit::editingFinished, line,
                     [line, commit] { commit(line->text()); });
    return line;
}

} // namespace

PropertyPanel::PropertyPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), icon_(new QLabel), title_(new QLabel),
      subtitle_(new QLabel), scroll_(new QScrollArea) {
    auto* header = new QHBoxLayout;
    icon_->setFixedSize(40, 40);
    auto* titles = new QVBoxLayout;
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title_->setFont(titleFont);
    title_->setTextFormat(Qt::PlainText);
    title_->setWordWrap(true);
    subtitle_->setTextFormat(Qt::PlainText);
    subtitle_->setWordWrap(true);
    subtitle_->setForegroundRole(QPalette::PlaceholderText);
    titles->addWidget(title_);
    titles->addWidget(subtitle_);
    titles->setSpacing(2);
    header->addWidget(icon_, 0, Qt::AlignTop);
    header->addLayout(titles, 1);

    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(header);
    layout->addWidget(scroll_, 1);

    connect(document_, &ProjectDocument::selectionChanged, this, &PropertyPanel::rebuild);
    connect(document_, &ProjectDocument::projectReset, this, &PropertyPanel::rebuild);
    connect(document_, &ProjectDocument::edited, this, &PropertyPanel::refreshValues);
    rebuild();
}

// ---- queries for tests ----------------------------------------------------------------------

QStringList PropertyPanel::rows() const {
    QStringList out;
    for (const auto& row : rows_)
        out.append(row.label + "\t" + (row.text ? row.text() : QString()));
    return out;
}

QString PropertyPanel::title() const {
    return title_->text();
}

QWidget* PropertyPanel::editor(const QString& key) const {
    for (const auto& row : rows_)
        if (row.key == key)
            return row.editor;
    return nullptr;
}

QString PropertyPanel::problem(const QString& key) const {
    for (const auto& row : rows_)
        if (row.key == key && row.problem && !row.problem->isHidden())
            return row.problem->text();
    return {};
}

// ---- building -------------------------------------------------------------------------------

void PropertyPanel::clearRows() {
    rows_.clear();
    nextRow_ = 0;
    body_ = new QWidget;
    grid_ = new QGridLayout(body_);
    grid_->setContentsMargins(0, 4, 4, 4);
    grid_->setHorizontalSpacing(10);
    grid_->setVerticalSpacing(4);
    grid_->setColumnStretch(1, 1);
    scroll_->setWidget(body_); // deletes the previous body and its editors
}

void PropertyPanel::addSection(const QString& title) {
    auto* label = new QLabel(title, body_);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setForegroundRole(QPalette::Highlight);
    label->setContentsMargins(0, nextRow_ == 0 ? 0 : 8, 0, 2);
    grid_->addWidget(label, nextRow_++, 0, 1, 2);
}

PropertyPanel::Row& PropertyPanel::addRow(const QString& key, const QString& label, QWidget* editor,
                                          const QString& tooltip) {
    auto* caption = new QLabel(label, body_);
    caption->setToolTip(tooltip);
    caption->setBuddy(editor);
    editor->setParent(body_);
    // Editors take the width the dock gives them rather than asking for their content's.
    editor->setMinimumWidth(80);
    editor->setSizePolicy(QSizePolicy::Ignored, editor->sizePolicy().verticalPolicy());
    if (!tooltip.isEmpty())
        editor->setToolTip(tooltip);
    editor->setObjectName(key);
    grid_->addWidget(caption, nextRow_, 0, Qt::AlignRight | Qt::AlignVCenter);
    grid_->addWidget(editor, nextRow_++, 1);
    auto* problem = new QLabel(body_);
    problem->setWordWrap(true);
    problem->setTextFormat(Qt::PlainText);
    problem->setStyleSheet(QStringLiteral("color: #b91c1c; font-size: 8pt;"));
    problem->hide();
    grid_->addWidget(problem, nextRow_++, 1);
    Row row;
    row.key = key;
    row.label = label;
    row.editor = editor;
    row.problem = problem;
    rows_.push_back(std::move(row));
    return rows_.back();
}

void PropertyPanel::setHeader(const QIcon& icon, const QString& title, const QString& subtitle) {
    icon_->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(40, 40));
    title_->setText(title);
    subtitle_->setText(subtitle);
}

void PropertyPanel::rebuild() {
    clearRows();
    const auto& components = document_->selectedComponents();
    const auto& links = document_->selectedLinks();
    const auto& zones = document_->selectedZones();
    const auto& project = document_->project();
    if (!components.isEmpty() && links.isEmpty() && zones.isEmpty()) {
        buildComponents(components);
    } else if (components.isEmpty() && links.size() == 1 && zones.isEmpty()) {
        if (const auto* l = project.findLink(ss(links.front())))
            buildLink(*l);
    } else if (components.isEmpty() && links.isEmpty() && zones.size() == 1) {
        if (const auto* z = project.findZone(ss(zones.front())))
            buildZone(*z);
    } else if (!links.isEmpty() || !zones.isEmpty()) {
        setHeader({}, tr("%1 items selected").arg(components.size() + links.size() + zones.size()),
                  tr("Select components only, or one link or zone, to edit"));
    } else {
        buildProject();
    }
    grid_->setRowStretch(nextRow_, 1);
    refreshValues();
}

void PropertyPanel::refreshValues() {
    // Rows whose object vanished (undo of an add, say) mean the selection changed shape.
    const auto diagnostics = validate(document_->project());
    for (auto& row : rows_) {
        if (row.refresh)
            row.refresh();
        if (!row.problem)
            continue;
        QStringList problems;
        for (const auto& d : diagnostics)
            if (qs(d.subjectKind) == row.subjectKind && row.subjects.contains(qs(d.subject)) &&
                qs(d.property) == row.property)
                problems.append((d.severity == Severity::Error ? QStringLiteral("\u26a0 ")
                                                               : QStringLiteral("\u2139 ")) +
                                qs(d.message));
        row.problem->setText(problems.join('\n'));
        row.problem->setVisible(!problems.isEmpty());
    }
}

void PropertyPanel::buildProject() {
    const auto& project = document_->project();
    setHeader(appIcon(), project.name.empty() ? tr("Untitled project") : qs(project.name),
              tr("Project \u00b7 select a component to edit it"));
    addSection(tr("Project"));
    auto commitInfo = [this](std::optional<QString> name, std::optional<QString> description) {
        const auto& p = document_->project();
        ProjectInfo info{p.name, p.description};
        if (name)
            info.name = ss(*name);
        if (description)
            info.description = ss(*description);
        DeltaBuilder edit(p);
        edit.setInfo(info);
        document_->edit(edit.build(), tr("Edit project details"));
    };
    auto* name =
        textEditor(nullptr, [commitInfo](const QString& text) { commitInfo(text, std::nullopt); });
    auto& nameRow = addRow("name", tr("Name"), name);
    nameRow.text = [this] { return qs(document_->project().name); };
    nameRow.refresh = [this, name] {
        const QSignalBlocker block(name);
        if (!name->hasFocus())
            name->setText(qs(document_->project().name));
        title_->setText(qs(document_->project().name));
    };

    auto* description = new QPlainTextEdit;
    description->setMinimumHeight(110);
    description->setTabChangesFocus(true);
    // Commit when focus leaves the box: one undo step per editing session, not per key.
    class FocusOutFilter : public QObject {
      public:
        FocusOutFilter(QPlainTextEdit* box, std::function<void()> done)
            : QObject(box), done_(std::move(done)) {
            box->installEventFilter(this);
        }
        bool eventFilter(QObject*, QEvent* event) override {
            if (event->type() == QEvent::FocusOut)
                done_();
            return false;
        }

      private:
        std::function<void()> done_;
    };
    new FocusOutFilter(description, [description, commitInfo] {
        commitInfo(std::nullopt, description->toPlainText());
    });
    auto& descriptionRow = addRow("description", tr("Description"), description,
                                  tr("What the system is and where its numbers come from"));
    descriptionRow.text = [this] { return qs(document_->project().description); };
    descriptionRow.refresh = [this, description] {
        if (!description->hasFocus())
            description->setPlainText(qs(document_->project().description));
    };

    addSection(tr("Contents"));
    const auto counts = [this] {
        const auto& p = document_->project();
        return std::array<std::size_t, 3>{p.components.size(), p.links.size(), p.zones.size()};
    };
    const QString labels[] = {tr("Components"), tr("Links"), tr("Zones")};
    for (int i = 0; i < 3; ++i) {
        auto* value = new QLabel;
        auto& row = addRow(QStringLiteral("count%1").arg(i), labels[i], value);
        row.text = [counts, i] { return QString::number(counts()[static_cast<std::size_t>(i)]); };
        row.refresh = [value, text = row.text] { value->setText(text()); };
    }
    auto* file = new QLabel;
    file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    file->setWordWrap(true);
    auto& fileRow = addRow("file", tr("File"), file);
    fileRow.text = [this] {
        return document_->filePath().isEmpty() ? tr("not saved yet") : document_->filePath();
    };
    fileRow.refresh = [file, text = fileRow.text] { file->setText(text()); };
}

void PropertyPanel::buildComponents(const QStringList& ids) {
    const auto& project = document_->project();
    std::vector<const Component*> selected;
    for (const auto& id : ids)
        if (const auto* c = project.findComponent(ss(id)))
            selected.push_back(c);
    if (selected.empty())
        return;
    const Component& first = *selected.front();
    const bool single = selected.size() == 1;
    bool sameKind = true;
    for (const auto* c : selected)
        sameKind = sameKind && c->kind == first.kind;
    if (single)
        setHeader(kindIcon(first.kind), first.name.empty() ? qs(first.id) : qs(first.name),
                  qs(first.descriptor().label) + QStringLiteral(" \u00b7 ") + qs(first.id));
    else
        setHeader(sameKind ? kindIcon(first.kind) : QIcon(),
                  tr("%1 components").arg(selected.size()),
                  sameKind ? tr("All %1: changes apply to each").arg(qs(first.descriptor().label))
                           : tr("Mixed kinds: the properties they share"));

    // Reads the current value of a property for every selected component, from the model.
    auto current = [this, ids](const std::string& key) {
        std::vector<PropertyValue> values;
        for (const auto& id : ids)
            if (const auto* c = document_->project().findComponent(ss(id)))
                values.push_back(c->value(key));
        return values;
    };
    auto commit = [this, ids](const std::string& key, const QString& label,
                              const std::function<void(Component&)>& change) {
        const auto& p = document_->project();
        DeltaBuilder edit(p);
        for (const auto& id : ids)
            if (const auto* c = p.findComponent(ss(id))) {
                Component changed = *c;
                change(changed);
                edit.setComponent(changed);
            }
        document_->edit(edit.build(), tr("Change %1").arg(label),
                        QStringLiteral("prop:%1:%2").arg(ids.join(','), qs(key)));
    };

    addSection(single ? tr("Component") : tr("Components"));
    if (single) {
        auto* id = new QLabel(qs(first.id));
        id->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto& idRow = addRow("id", tr("Id"), id, tr("Unique id used in files and exports"));
        idRow.text = [id] { return id->text(); };
        auto* name = textEditor(nullptr, [commit](const QString& text) {
            commit("name", tr("name"), [&](Component& c) { c.name = ss(text); });
        });
        auto& nameRow = addRow("name", tr("Name"), name);
        nameRow.text = [this, ids] {
            const auto* c = document_->project().findComponent(ss(ids.front()));
            return c ? qs(c->name) : QString();
        };
        nameRow.refresh = [name, text = nameRow.text] {
            const QSignalBlocker block(name);
            if (!name->hasFocus()) {
                name->setText(text());
                name->setCursorPosition(0);
            }
        };
    }
    auto* kindLabel = new QLabel(sameKind ? qs(first.descriptor().label) : tr("mixed"));
    auto& kindRow = addRow("kind", tr("Kind"), kindLabel, qs(first.descriptor().description));
    kindRow.text = [kindLabel] { return kindLabel->text(); };

    auto* zone = new QComboBox;
    zone->addItem(tr("(none)"), QString());
    for (const auto& z : project.zones)
        zone->addItem(qs(z.name) + QStringLiteral("  (") + qs(label(z.kind)) + ")", qs(z.id));
    connect(zone, &QComboBox::activated, zone, [zone, commit](int index) {
        const auto id = ss(zone->itemData(index).toString());
        commit("zone", tr("zone"), [&](Component& c) { c.zone = id; });
    });
    auto& zoneRow = addRow("zone", tr("Zone"), zone);
    zoneRow.subjectKind = "component";
    zoneRow.subjects = ids;
    zoneRow.property = "zone";
    zoneRow.text = [this, ids] {
        const auto* c = document_->project().findComponent(ss(ids.front()));
        if (!c || c->zone.empty())
            return tr("none");
        const auto* z = document_->project().findZone(c->zone);
        return z ? qs(z->name) : qs(c->zone);
    };
    zoneRow.refresh = [this, zone, ids] {
        const QSignalBlocker block(zone);
        const auto* c = document_->project().findComponent(ss(ids.front()));
        zone->setCurrentIndex(c ? std::max(0, zone->findData(qs(c->zone))) : 0);
    };

    // The properties every selected kind has, with the same type, in the first's order.
    addSection(tr("Properties"));
    for (const auto& property : first.descriptor().properties) {
        bool shared = true;
        for (const auto* c : selected) {
            const auto* other = c->descriptor().findProperty(property.key);
            shared = shared && other && other->type == property.type;
        }
        if (!shared)
            continue;
        const std::string key = property.key;
        const QString label = qs(property.label);
        auto editor = makePropertyEditor(
            property,
            [commit, key, label](const PropertyValue& value) {
                commit(key, label.toLower(), [&](Component& c) { c.properties[key] = value; });
            },
            nullptr);
        const QString tooltip = QStringLiteral("<b>%1</b> <code>%2</code><br>%3<br><i>%4</i>")
                                    .arg(label.toHtmlEscaped(), qs(key),
                                         qs(property.help).toHtmlEscaped(), rangeText(property));
        auto& row = addRow(qs(key), label, editor.widget, tooltip);
        row.subjectKind = "component";
        row.subjects = ids;
        row.property = qs(key);
        row.text = [current, key, property] {
            const auto values = current(key);
            if (values.empty())
                return QString();
            for (const auto& v : values)
                if (v != values.front())
                    return tr("mixed");
            return qs(formatValue(property, values.front()));
        };
        auto* caption = qobject_cast<QLabel*>(grid_->itemAtPosition(nextRow_ - 2, 0)->widget());
        row.refresh = [current, key, show = editor.show, caption, label] {
            const auto values = current(key);
            if (values.empty())
                return;
            show(values.front());
            bool mixed = false;
            for (const auto& v : values)
                mixed = mixed || v != values.front();
            // Mixed values: the label says so; typing a value sets it on all of them.
            caption->setText(mixed ? label + QStringLiteral(" \u2260") : label);
        };
    }
    // Values the kind does not know (from a newer file or a typo) stay visible.
    if (single)
        for (const auto& [key, value] : first.properties) {
            if (first.descriptor().findProperty(key))
                continue;
            PropertyDescriptor unknown;
            unknown.type = std::holds_alternative<std::string>(value) ? PropertyType::Text
                                                                      : PropertyType::Number;
            auto* shown = new QLabel(qs(formatValue(unknown, value)));
            auto& row = addRow(qs(key), qs(key), shown);
            row.subjectKind = "component";
            row.subjects = ids;
            row.property = qs(key);
            row.text = [shown] { return shown->text(); };
        }
}

void PropertyPanel::buildLink(const Link& link) {
    const auto& project = document_->project();
    const auto* from = project.findComponent(link.from);
    const auto* to = project.findComponent(link.to);
    auto nameOf = [](const Component* c, const std::string& id) {
        return c && !c->name.empty() ? qs(c->name) : qs(id);
    };
    setHeader({}, nameOf(from, link.from) + QStringLiteral(" \u2192 ") + nameOf(to, link.to),
              tr("Link \u00b7 %1").arg(qs(link.id)));
    const QString id = qs(link.id);
    auto commit = [this, id](const QString& what, const std::function<void(Link&)>& change,
                             bool merge) {
        const auto* l = document_->project().findLink(ss(id));
        if (!l)
            return;
        Link changed = *l;
        change(changed);
        DeltaBuilder edit(document_->project());
        edit.setLink(changed);
        document_->edit(edit.build(), tr("Change %1").arg(what),
                        merge ? QStringLiteral("link:%1:%2").arg(id, what) : QString());
    };
    auto currentLink = [this, id]() { return document_->project().findLink(ss(id)); };

    addSection(tr("Link"));
    auto* fromLabel = new QLabel(qs(link.from));
    addRow("from", tr("From"), fromLabel).text = [fromLabel] { return fromLabel->text(); };
    auto* toLabel = new QLabel(qs(link.to));
    addRow("to", tr("To"), toLabel).text = [toLabel] { return toLabel->text(); };

    auto* kind = new QComboBox;
    for (auto k : allLinkKinds()) {
        const bool allowed = from && to && !linkRefusal(from->kind, to->kind, k);
        if (allowed || k == link.kind)
            kind->addItem(qs(label(k)), static_cast<int>(k));
    }
    connect(kind, &QComboBox::activated, kind, [kind, commit](int index) {
        const auto k = static_cast<LinkKind>(kind->itemData(index).toInt());
        commit(
            tr("link kind"), [k](Link& l) { l.kind = k; }, false);
    });
    auto& kindRow = addRow("kind", tr("Kind"), kind,
                           tr("Only the kinds allowed between these two components are offered"));
    kindRow.subjectKind = "link";
    kindRow.subjects = {id};
    kindRow.property = "kind";
    kindRow.text = [currentLink] {
        return currentLink() ? qs(label(currentLink()->kind)) : QString();
    };
    kindRow.refresh = [kind, currentLink] {
        const QSignalBlocker block(kind);
        if (const auto* l = currentLink())
            kind->setCurrentIndex(kind->findData(static_cast<int>(l->kind)));
    };

    auto* calls = new NumberSpinBox;
    calls->setRange(0.0001, kMaxCallsPerRequest);
    calls->setSuffix(tr(" per request"));
    calls->setSingleStep(0.1);
    connect(calls, &QDoubleSpinBox::valueChanged, calls, [commit](double v) {
        commit(
            tr("calls per request"), [v](Link& l) { l.callsPerRequest = v; }, true);
    });
    auto& callsRow = addRow("calls_per_request", tr("Calls (fan-out)"), calls,
                            tr("Calls made to the target for each request the source handles"));
    callsRow.subjectKind = "link";
    callsRow.subjects = {id};
    callsRow.property = "calls_per_request";
    callsRow.text = [currentLink] {
        return currentLink() ? qs(formatNumber(currentLink()->callsPerRequest)) : QString();
    };
    callsRow.refresh = [calls, currentLink] {
        const QSignalBlocker block(calls);
        if (const auto* l = currentLink())
            calls->setValue(l->callsPerRequest);
    };

    auto* miss = new QCheckBox(tr("only when the cache missed"));
    connect(miss, &QCheckBox::toggled, miss, [commit](bool on) {
        commit(
            tr("only on miss"), [on](Link& l) { l.onlyOnMiss = on; }, false);
    });
    auto& missRow = addRow("only_on_miss", tr("Cache-aside"), miss,
                           tr("The call happens only when the caller's cache lookup missed"));
    missRow.subjectKind = "link";
    missRow.subjects = {id};
    missRow.property = "only_on_miss";
    missRow.text = [currentLink] {
        return currentLink() && currentLink()->onlyOnMiss ? tr("yes") : tr("no");
    };
    missRow.refresh = [miss, currentLink] {
        const QSignalBlocker block(miss);
        if (const auto* l = currentLink())
            miss->setChecked(l->onlyOnMiss);
    };
}

void PropertyPanel::buildZone(const Zone& zone) {
    setHeader({}, qs(zone.name), tr("%1 \u00b7 %2").arg(qs(label(zone.kind)), qs(zone.id)));
    const QString id = qs(zone.id);
    auto currentZone = [this, id]() { return document_->project().findZone(ss(id)); };
    auto commit = [this, id](const std::function<void(Zone&)>& change) {
        const auto* z = document_->project().findZone(ss(id));
        if (!z)
            return;
        Zone changed = *z;
        change(changed);
        DeltaBuilder edit(document_->project());
        edit.setZone(changed);
        document_->edit(edit.build(), tr("Edit zone %1").arg(id));
    };
    addSection(tr("Zone"));
    auto* name = textEditor(
        nullptr, [commit](const QString& text) { commit([&](Zone& z) { z.name = ss(text); }); });
    auto& nameRow = addRow("name", tr("Name"), name);
    nameRow.text = [currentZone] { return currentZone() ? qs(currentZone()->name) : QString(); };
    nameRow.refresh = [this, name, currentZone] {
        const QSignalBlocker block(name);
        if (const auto* z = currentZone(); z && !name->hasFocus()) {
            name->setText(qs(z->name));
            title_->setText(qs(z->name));
        }
    };
    auto* kind = new QComboBox;
    kind->addItem(qs(label(ZoneKind::Region)), static_cast<int>(ZoneKind::Region));
    kind->addItem(qs(label(ZoneKind::AvailabilityZone)),
                  static_cast<int>(ZoneKind::AvailabilityZone));
    connect(kind, &QComboBox::activated, kind, [kind, commit](int index) {
        const auto k = static_cast<ZoneKind>(kind->itemData(index).toInt());
        commit([k](Zone& z) { z.kind = k; });
    });
    auto& kindRow = addRow("kind", tr("Kind"), kind);
    kindRow.text = [currentZone] {
        return currentZone() ? qs(label(currentZone()->kind)) : QString();
    };
    kindRow.refresh = [kind, currentZone] {
        const QSignalBlocker block(kind);
        if (const auto* z = currentZone())
            kind->setCurrentIndex(kind->findData(static_cast<int>(z->kind)));
    };
    auto* members = new QLabel;
    auto& membersRow = addRow("members", tr("Components"), members);
    membersRow.text = [this, id] {
        int n = 0;
        for (const auto& c : document_->project().components)
            n += qs(c.zone) == id;
        return QString::number(n);
    };
    membersRow.refresh = [members, text = membersRow.text] { members->setText(text()); };
    auto* hint = new QLabel(tr("Drag the grip in the frame's bottom-right corner to resize."));
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    addRow("hint", QString(), hint);
}

} // namespace headroom::ui

#include "panels/property_panel.h"

#include "document/project_document.h"
#include "model/property.h"
#include "style/kind_style.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <map>

namespace headroom::ui {
namespace {
QString rangeText(const PropertyDescriptor& property) {
    if (!property.isNumeric())
        return {};
    const QString unit = property.unit.empty() ? QString() : " " + qs(property.unit);
    return QObject::tr("Range %1 to %2%3")
        .arg(qs(formatNumber(property.min)), qs(formatNumber(property.max)), unit);
}
} // namespace

PropertyPanel::PropertyPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), icon_(new QLabel), title_(new QLabel),
      subtitle_(new QLabel), description_(new QLabel), tree_(new QTreeWidget) {
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

    tree_->setColumnCount(2);
    tree_->setHeaderLabels({tr("Property"), tr("Value")});
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->setSelectionMode(QAbstractItemView::NoSelection);
    tree_->setFocusPolicy(Qt::NoFocus);
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setStretchLastSection(true);
    tree_->setWordWrap(false);
    tree_->setTextElideMode(Qt::ElideRight);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    description_->setWordWrap(true);
    description_->setTextFormat(Qt::PlainText);
    description_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    description_->setContentsMargins(2, 4, 2, 4);
    // A long description scrolls in a short box instead of pushing the table off screen.
    auto* descriptionScroll = new QScrollArea;
    descriptionScroll->setWidget(description_);
    descriptionScroll->setWidgetResizable(true);
    descriptionScroll->setFrameShape(QFrame::NoFrame);
    descriptionScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    descriptionScroll->setMaximumHeight(120);
    descriptionScroll->setObjectName("descriptionScroll");
    layout->addLayout(header);
    layout->addWidget(descriptionScroll);
    layout->addWidget(tree_, 1);

    connect(document_, &ProjectDocument::selectionChanged, this, &PropertyPanel::refresh);
    connect(document_, &ProjectDocument::projectReset, this, &PropertyPanel::refresh);
    connect(document_, &ProjectDocument::componentChanged, this, &PropertyPanel::refresh);
    refresh();
}

QStringList PropertyPanel::rows() const {
    QStringList out;
    for (int g = 0; g < tree_->topLevelItemCount(); ++g) {
        const auto* group = tree_->topLevelItem(g);
        for (int r = 0; r < group->childCount(); ++r)
            out.append(group->child(r)->text(0) + "\t" + group->child(r)->text(1));
    }
    return out;
}

QString PropertyPanel::title() const { return title_->text(); }

void PropertyPanel::refresh() {
    tree_->clear();
    description_->clear();
    description_->parentWidget()->parentWidget()->setVisible(false);
    const auto& components = document_->selectedComponents();
    const auto& links = document_->selectedLinks();
    const auto& project = document_->project();
    if (components.size() == 1 && links.isEmpty()) {
        if (const auto* c = project.findComponent(ss(components.front())))
            showComponent(*c);
    } else if (components.isEmpty() && links.size() == 1) {
        if (const auto* l = project.findLink(ss(links.front())))
            showLink(*l);
    } else if (!components.isEmpty() || !links.isEmpty()) {
        showMany(static_cast<int>(components.size()), static_cast<int>(links.size()));
    } else {
        showProject();
    }
    tree_->expandAll();
}

QTreeWidgetItem* PropertyPanel::addGroup(const QString& title) {
    auto* group = new QTreeWidgetItem(tree_, {title});
    QFont font = group->font(0);
    font.setBold(true);
    group->setFont(0, font);
    group->setFirstColumnSpanned(true);
    group->setForeground(0, palette().color(QPalette::Highlight));
    return group;
}

QTreeWidgetItem* PropertyPanel::addRow(QTreeWidgetItem* group, const QString& label,
                                       const QString& value, const QString& tooltip) {
    auto* row = new QTreeWidgetItem(group, {label, value});
    if (!tooltip.isEmpty()) {
        row->setToolTip(0, tooltip);
        row->setToolTip(1, tooltip);
    }
    return row;
}

void PropertyPanel::showProject() {
    const auto& project = document_->project();
    icon_->setPixmap(appIcon().pixmap(40, 40));
    title_->setText(project.name.empty() ? tr("Untitled project") : qs(project.name));
    subtitle_->setText(tr("Project \u00b7 select a component to see its properties"));
    auto* general = addGroup(tr("Project"));
    addRow(general, tr("File"),
           document_->filePath().isEmpty() ? tr("not saved yet") : document_->filePath(),
           document_->filePath());
    addRow(general, tr("Components"), QString::number(project.components.size()));
    addRow(general, tr("Links"), QString::number(project.links.size()));
    addRow(general, tr("Zones"), QString::number(project.zones.size()));
    if (!project.description.empty()) {
        description_->setText(qs(project.description));
        description_->parentWidget()->parentWidget()->setVisible(true);
    }
    std::map<int, int> byKind;
    for (const auto& c : project.components)
        ++byKind[static_cast<int>(c.kind)];
    if (!byKind.empty()) {
        auto* kinds = addGroup(tr("Components by kind"));
        for (const auto& [kind, count] : byKind) {
            auto* row = addRow(kinds, qs(describe(static_cast<ComponentKind>(kind)).label),
                               QString::number(count));
            row->setIcon(0, kindIcon(static_cast<ComponentKind>(kind)));
        }
    }
}

void PropertyPanel::showComponent(const Component& component) {
    const auto& kind = component.descriptor();
    icon_->setPixmap(kindIcon(component.kind).pixmap(40, 40));
    title_->setText(component.name.empty() ? qs(component.id) : qs(component.name));
    subtitle_->setText(qs(kind.label) + QStringLiteral(" \u00b7 ") + qs(component.id));
    subtitle_->setToolTip(qs(kind.description));

    auto* general = addGroup(tr("Component"));
    addRow(general, tr("Id"), qs(component.id), tr("Unique id used in files and exports"));
    addRow(general, tr("Kind"), qs(kind.label), qs(kind.description));
    addRow(general, tr("Name"), qs(component.name));
    const auto* zone = document_->project().findZone(component.zone);
    addRow(general, tr("Zone"),
           component.zone.empty() ? tr("none") : (zone ? qs(zone->name) : qs(component.zone)));

    auto* properties = addGroup(tr("Properties"));
    for (const auto& property : kind.properties) {
        const QString tooltip = QStringLiteral("<b>%1</b> <code>%2</code><br>%3<br><i>%4</i>")
                                    .arg(qs(property.label).toHtmlEscaped(), qs(property.key),
                                         qs(property.help).toHtmlEscaped(), rangeText(property));
        addRow(properties, qs(property.label),
               qs(formatValue(property, component.value(property.key))), tooltip);
    }
    // Values the kind does not know (from a newer file or a typo) stay visible.
    for (const auto& [key, value] : component.properties) {
        if (kind.findProperty(key))
            continue;
        PropertyDescriptor unknown;
        unknown.type = std::holds_alternative<std::string>(value) ? PropertyType::Text
                                                                   : PropertyType::Number;
        auto* row = addRow(properties, qs(key), qs(formatValue(unknown, value)),
                           tr("Not a property of this kind: see the Problems panel"));
        row->setForeground(0, Qt::darkRed);
    }
}

void PropertyPanel::showLink(const Link& link) {
    const auto& project = document_->project();
    icon_->setPixmap(QPixmap());
    const auto* from = project.findComponent(link.from);
    const auto* to = project.findComponent(link.to);
    auto nameOf = [](const Component* c, const std::string& id) {
        return c && !c->name.empty() ? qs(c->name) : qs(id);
    };
    title_->setText(nameOf(from, link.from) + QStringLiteral(" \u2192 ") + nameOf(to, link.to));
    subtitle_->setText(tr("Link \u00b7 %1").arg(qs(link.id)));
    auto* general = addGroup(tr("Link"));
    addRow(general, tr("Id"), qs(link.id));
    addRow(general, tr("From"), qs(link.from));
    addRow(general, tr("To"), qs(link.to));
    addRow(general, tr("Kind"), qs(label(link.kind)));
    addRow(general, tr("Calls per request"), qs(formatNumber(link.callsPerRequest)),
           tr("Fan-out: calls made to the target for each request the source handles"));
    addRow(general, tr("Only on cache miss"), link.onlyOnMiss ? tr("yes") : tr("no"),
           tr("The call happens only when the caller's cache lookup missed"));
}

void PropertyPanel::showMany(int components, int links) {
    icon_->setPixmap(QPixmap());
    title_->setText(tr("%n item(s) selected", nullptr, components + links));
    subtitle_->setText(tr("Select one component or link to see its properties"));
    auto* group = addGroup(tr("Selection"));
    addRow(group, tr("Components"), QString::number(components));
    addRow(group, tr("Links"), QString::number(links));
}

} // namespace headroom::ui

#include "panels/property_editors.h"

#include "document/project_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <limits>

namespace headroom::ui {

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setDecimals(6);
    setKeyboardTracking(false);
    setAccelerated(true);
}

QString NumberSpinBox::textFromValue(double value) const {
    return qs(formatNumber(value));
}

double NumberSpinBox::valueFromText(const QString& text) const {
    QString number = text;
    if (!suffix().isEmpty() && number.endsWith(suffix()))
        number.chop(suffix().size());
    return number.trimmed().toDouble();
}

QValidator::State NumberSpinBox::validate(QString& input, int& pos) const {
    QString number = input;
    if (!suffix().isEmpty() && number.endsWith(suffix()))
        number.chop(suffix().size());
    number = number.trimmed();
    if (number.isEmpty() || number == QLatin1String("-") || number == QLatin1String(".") ||
        number.endsWith(QLatin1Char('e'), Qt::CaseInsensitive))
        return QValidator::Intermediate;
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok)
        return QValidator::Invalid;
    (void)pos;
    return value >= minimum() && value <= maximum() ? QValidator::Acceptable
                                                    : QValidator::Intermediate;
}

PropertyEditor makePropertyEditor(const PropertyDescriptor& descriptor,
                                  std::function<void(const PropertyValue&)> commit,
                                  QWidget* parent) {
    const QString suffix = descriptor.unit.empty() ? QString() : " " + qs(descriptor.unit);
    PropertyEditor editor;
    switch (descriptor.type) {
    case PropertyType::Integer: {
        auto* box = new QSpinBox(parent);
        constexpr double intMax = std::numeric_limits<int>::max();
        box->setRange(static_cast<int>(std::max(-intMax, descriptor.min)),
                      static_cast<int>(std::min(intMax, descriptor.max)));
        box->setSuffix(suffix);
        box->setKeyboardTracking(false);
        box->setAccelerated(true);
        QObject::connect(box, &QSpinBox::valueChanged, box,
                         [commit](int v) { commit(std::int64_t{v}); });
        editor.widget = box;
        editor.show = [box](const PropertyValue& value) {
            const QSignalBlocker block(box);
            box->setValue(static_cast<int>(asNumber(value).value_or(0)));
        };
        break;
    }
    case PropertyType::Number: {
        auto* box = new NumberSpinBox(parent);
        box->setRange(descriptor.min, descriptor.max);
        box->setSuffix(suffix);
        // Fractions step by a hundredth, everything else by one unit.
        box->setSingleStep(descriptor.max <= 1 ? 0.01 : 1);
        QObject::connect(box, &QDoubleSpinBox::valueChanged, box,
                         [commit](double v) { commit(v); });
        editor.widget = box;
        editor.show = [box](const PropertyValue& value) {
            const QSignalBlocker block(box);
            box->setValue(asNumber(value).value_or(0));
        };
        break;
    }
    case PropertyType::Boolean: {
        auto* check = new QCheckBox(parent);
        QObject::connect(check, &QCheckBox::toggled, check, [commit](bool on) { commit(on); });
        editor.widget = check;
        editor.show = [check](const PropertyValue& value) {
            const QSignalBlocker block(check);
            const auto* flag = std::get_if<bool>(&value);
            check->setChecked(flag && *flag);
        };
        break;
    }
    case PropertyType::Choice: {
        auto* combo = new QComboBox(parent);
        for (const auto& option : descriptor.choices)
            combo->addItem(qs(option.label), qs(option.key));
        QObject::connect(combo, &QComboBox::activated, combo, [combo, commit](int index) {
            commit(ss(combo->itemData(index).toString()));
        });
        editor.widget = combo;
        editor.show = [combo](const PropertyValue& value) {
            const QSignalBlocker block(combo);
            const auto* key = std::get_if<std::string>(&value);
            combo->setCurrentIndex(key ? combo->findData(qs(*key)) : -1);
        };
        break;
    }
    case PropertyType::Text: {
        auto* line = new QLineEdit(parent);
        QObject::connect(line, &QLineEdit::editingFinished, line,
                         [line, commit] { commit(ss(line->text())); });
        editor.widget = line;
        editor.show = [line](const PropertyValue& value) {
            const QSignalBlocker block(line);
            const auto* text = std::get_if<std::string>(&value);
            line->setText(text ? qs(*text) : QString());
        };
        break;
    }
    }
    editor.widget->setToolTip(qs(descriptor.help));
    return editor;
}

} // namespace headroom::ui

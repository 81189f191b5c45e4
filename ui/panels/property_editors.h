#pragma once
// Typed editor widgets for property values, made from a PropertyDescriptor: spin boxes with the
// unit as suffix and the descriptor's range, a combo box for choices, a check box, a line edit.

#include "model/property.h"

#include <QDoubleSpinBox>
#include <functional>

namespace headroom::ui {

/// A double spin box that shows numbers in their shortest exact form (0.92, not 0.920000).
class NumberSpinBox : public QDoubleSpinBox {
    Q_OBJECT
  public:
    explicit NumberSpinBox(QWidget* parent = nullptr);
    QString textFromValue(double value) const override;
    double valueFromText(const QString& text) const override;
    QValidator::State validate(QString& input, int& pos) const override;
};

/// An editor for one property: the widget, a way to show a value in it, and a callback that
/// fires when the user commits a new value (Enter, focus out, a click).
struct PropertyEditor {
    QWidget* widget = nullptr;
    std::function<void(const PropertyValue&)> show;
};

PropertyEditor makePropertyEditor(const PropertyDescriptor& descriptor,
                                  std::function<void(const PropertyValue&)> commit,
                                  QWidget* parent);

} // namespace headroom::ui

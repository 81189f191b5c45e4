#pragma once
// A value or an error that says what went wrong and where. Core functions that read user input
// return this instead of throwing across layers; the CLI prints the message, the GUI shows it.

#include <string>
#include <utility>
#include <variant>

namespace headroom {

/// What went wrong and where (a file, and a place inside it such as a JSON path or table row).
struct Error {
    std::string message;
    std::string file;     ///< the file concerned, empty when not about a file
    std::string location; ///< place inside the file, e.g. "/components/3/properties/replicas"

    /// "file: location: message", leaving out the parts that are empty.
    [[nodiscard]] std::string describe() const {
        std::string out;
        if (!file.empty())
            out += file + ": ";
        if (!location.empty())
            out += location + ": ";
        return out + message;
    }
};

template <typename T> class [[nodiscard]] Result {
  public:
    Result(T value) : data_(std::move(value)) {}
    Result(Error error) : data_(std::move(error)) {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & { return std::get<T>(data_); }
    [[nodiscard]] const T& value() const& { return std::get<T>(data_); }
    [[nodiscard]] T&& value() && { return std::get<T>(std::move(data_)); }
    [[nodiscard]] const Error& error() const { return std::get<Error>(data_); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, Error> data_;
};

/// A Result for operations that produce nothing but can fail.
struct Done {};
using Status = Result<Done>;

} // namespace headroom

#include "tools/command_options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace fisheropt {

CLI::Validator WholeNumber(long long min, long long max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        const std::string message =
            "must be a whole number from " + std::to_string(min) + " to " +
            std::to_string(max) + ", not '" + text + "'";
        if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
          return message;
        errno = 0;
        char* end = nullptr;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        if (*end != '\0' || errno == ERANGE || value < min || value > max) {
          return message;
        }
        text = std::to_string(value);
        return "";
      },
      "", "WholeNumber");
}

CLI::Validator RelativeTolerance() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) ||
            *end != '\0' || !std::isfinite(value) || value <= 0.0 ||
            value >= 1.0) {
          return "must be a number > 0 and < 1, not '" + text +
                 "' (the fit stops when an iteration changes the negative "
                 "log-likelihood by at most this fraction of it; default "
                 "1e-12)";
        }
        return "";
      },
      "", "RelativeTolerance");
}

CLI::Validator FileName() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "needs a file name" : "";
      },
      "", "FileName");
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    joined += (joined.empty() ? "" : ", ") + name;
  }
  return joined;
}

}  // namespace fisheropt

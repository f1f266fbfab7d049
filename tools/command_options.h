#ifndef FISHEROPT_TOOLS_COMMAND_OPTIONS_H_
#define FISHEROPT_TOOLS_COMMAND_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace fisheropt {

// What the commands' Register functions (tools/commands.h) share to define
// their options. CLI11 runs a validator on the argument's text before
// converting it, and a failure becomes the usage error "fisheropt <command>:
// <option> <message>" (tools/command_line.cc), so each message starts with a
// verb.

// A whole number in [min, max], in decimal. The text is rewritten in
// canonical form, so that CLI11's conversion (which reads "010" as octal)
// sees the number the user meant.
CLI::Validator WholeNumber(long long min, long long max);

// The relative function tolerance of a fit: the solver stops when an
// iteration changes the negative log-likelihood L by at most tol·|L|
// (Ceres' definition). tol ≥ 1 stops after the first step whatever it did;
// tol ≤ 0 or NaN never stops on this rule (and the solver refuses it); both
// are refused, with the default (1e-12) in the message.
CLI::Validator RelativeTolerance();

// A file or folder name: not empty (`--json ""` would otherwise mean "no
// JSON" without a word).
CLI::Validator FileName();

// "a, b, c": a list of names in a help text or a message.
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_COMMAND_OPTIONS_H_

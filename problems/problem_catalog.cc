#include "problems/problem_catalog.h"

#include "problems/model_registry.h"

namespace fisheropt {
namespace {

bool IsCatalogProblem(const ModelEntry& entry) {
  return entry.in_catalog && !IsNamePattern(entry);
}

}  // namespace

std::vector<std::string> CatalogProblemNames() {
  return ModelNames(IsCatalogProblem);
}

std::unique_ptr<CatalogProblem> MakeCatalogProblem(
    const std::string& name, const CatalogOptions& options,
    std::string* error) {
  const ModelEntry* entry = FindModel(name);
  if (entry == nullptr || !entry->in_catalog) {
    if (error != nullptr) {
      std::string message = "unknown problem '" + name + "'; known problems:";
      for (const ModelEntry& known : ModelRegistry()) {
        if (!known.in_catalog) continue;
        message += " " + known.name;
        if (!known.instance_needs.empty()) {
          message += " (with " + known.instance_needs + ")";
        }
      }
      *error = message;
    }
    return nullptr;
  }
  InstanceOptions instance;
  instance.size = entry->catalog_size(options);
  instance.seed = options.seed;
  instance.nist_directory = options.nist_directory;
  return entry->make_instance(name, instance, error);
}

}  // namespace fisheropt

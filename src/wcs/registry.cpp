#include "wcs/registry.hpp"

#include <stdexcept>

#include "wcs/error.hpp"
#include "wcs/memory.hpp"
#include "wcs/strategy.hpp"

namespace wcs {

SolveResult Solver::solve(const Problem& problem, const SolveOptions& options) {
  validate(problem);
  return solve_validated(problem, options);
}

SolveResult Solver::solve_validated(const Problem& problem, const SolveOptions& options) {
  if (problem.n() > info_->max_n)
    throw InputError("coefficients: N = " + std::to_string(problem.n()) + " is beyond what strategy '" + info_->name +
                     "' supports (N <= " + std::to_string(info_->max_n) + ")");
  if (info_->memory_bytes) check_memory(info_->name, problem.n(), info_->memory_bytes(problem.n(), options_));
  // This thread's stop flag for the solve (restored after: `auto` solves inside a solve).
  // Without a flag nothing is touched: the thread-local costs a call each way, which
  // is a tenth of a small solve.
  struct ThreadStop {
    const std::atomic<bool>* stop;
    const std::atomic<bool>* before = nullptr;
    explicit ThreadStop(const std::atomic<bool>* s) : stop(s) {
      if (stop) {
        before = thread_stop();
        set_thread_stop(stop);
      }
    }
    ~ThreadStop() {
      if (stop) set_thread_stop(before);
    }
    ThreadStop(const ThreadStop&) = delete;
    ThreadStop& operator=(const ThreadStop&) = delete;
  } guard(options.stop);
  return strategy_->solve(problem, options);
}

namespace {
thread_local const std::atomic<bool>* this_thread_stop = nullptr;
}  // namespace

const std::atomic<bool>* thread_stop() { return this_thread_stop; }
void set_thread_stop(const std::atomic<bool>* stop) { this_thread_stop = stop; }

void Registry::add(StrategyInfo info, StrategyFactory factory) {
  if (info.name.empty()) throw InputError("strategy: a strategy needs a name");
  if (!factory) throw InputError("strategy '" + info.name + "': registered without a factory");
  if (entries_.contains(info.name))
    throw InputError("strategy '" + info.name + "': registered twice (" + entries_.at(info.name).info->origin +
                     " and " + info.origin + ")");
  const std::string name = info.name;
  entries_.emplace(name, Entry{std::make_unique<StrategyInfo>(std::move(info)), std::move(factory)});
}

void Registry::merge(Registry&& other) {
  for (const auto& [name, entry] : other.entries_)
    if (entries_.contains(name))
      throw InputError("strategy '" + name + "': already registered by " + entries_.at(name).info->origin);
  for (auto& [name, entry] : other.entries_) entries_.emplace(name, std::move(entry));
  other.entries_.clear();
}

const StrategyInfo* Registry::find(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : it->second.info.get();
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

const StrategyInfo& Registry::get(const std::string& name) const {
  if (const StrategyInfo* info = find(name)) return *info;
  std::string valid;
  for (const auto& n : names()) valid += (valid.empty() ? "" : ", ") + n;
  throw InputError("strategy: '" + name + "' is not registered; valid: " + (valid.empty() ? "none" : valid));
}

Solver Registry::create(const std::string& name, const std::map<std::string, std::string>& options) const {
  const StrategyInfo& info = get(name);
  Options resolved = resolve_options(name, info.options, options);
  auto strategy = entries_.at(name).factory(resolved, *this);
  if (!strategy) throw std::runtime_error("strategy '" + name + "': its factory returned no strategy (a plugin bug)");
  return Solver(info, std::move(resolved), std::move(strategy));
}

std::vector<const StrategyInfo*> Registry::list() const {
  std::vector<const StrategyInfo*> out;
  for (const auto& [name, entry] : entries_) out.push_back(entry.info.get());
  return out;
}

}  // namespace wcs

// The report's statistics and number formats: seeded bootstrap intervals, Wilson
// intervals, the Mann-Whitney U test (values of scipy.stats.mannwhitneyu 1.10 with
// its defaults), ECDF, ERT, performance profiles, time units; and one table printed
// by its three writers (Markdown, CSV, the HTML page).
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "report/html.hpp"
#include "report/stats.hpp"
#include "report/table.hpp"

using namespace wcs::report;
using Catch::Detail::Approx;

TEST_CASE("bootstrap intervals repeat bit for bit with the seed and cover the median", "[report][stats]") {
  Groups g;  // 12 seeds of 3 repetitions, all values distinct
  for (int i = 0; i < 12; ++i) g.push_back({1.0 + i * 0.37 + (i % 5) * 0.11, 1.02 + i * 0.37, 0.97 + i * 0.41});
  const Estimate a = median_ci(g, seed_of("cell A")), b = median_ci(g, seed_of("cell A"));
  CHECK(a.value == b.value);
  CHECK(a.lo == b.lo);  // exact equality: the tables must be byte-identical on rerun
  CHECK(a.hi == b.hi);
  std::vector<double> all;
  for (const auto& x : g) all.insert(all.end(), x.begin(), x.end());
  CHECK(a.value == median(all));
  CHECK(a.lo <= a.value);
  CHECK(a.value <= a.hi);
  CHECK(a.lo < a.hi);
  // Another cell draws other resamples (visible with few of them: with 2000 the
  // percentiles of this discrete statistic settle on the same sample values).
  const Estimate c = median_ci(g, seed_of("cell B"), 50), d = median_ci(g, seed_of("cell A"), 50);
  CHECK(c.value == a.value);
  CHECK((c.lo != d.lo || c.hi != d.hi));
  CHECK(seed_of("cell A") != seed_of("cell B"));
  // Nothing varies: the interval is the value.
  const Estimate flat = median_ci({{2.0, 2.0}, {2.0}}, 7);
  CHECK(flat.value == 2.0);
  CHECK(flat.lo == 2.0);
  CHECK(flat.hi == 2.0);
  CHECK(std::isnan(median_ci({}, 1).value));
  CHECK(std::isnan(median_ci({{}, {}}, 1).value));
}

TEST_CASE("speed-up intervals resample problem instances in pairs", "[report][stats]") {
  // The baseline takes exactly twice as long on every instance, however different the
  // instances are from each other: every paired resample gives 2.
  const Groups fast{{1.0, 1.0}, {10.0, 10.0}, {100.0, 100.0}};
  const Groups slow{{2.0, 2.0}, {20.0, 20.0}, {200.0, 200.0}};
  const Estimate r = ratio_ci(slow, fast, seed_of("pairs"));
  CHECK(r.value == 2.0);
  CHECK(r.lo == 2.0);
  CHECK(r.hi == 2.0);
  CHECK_THROWS_AS(ratio_ci(slow, {{1.0}}, 1), std::invalid_argument);
  // Instances timed on one side only are left out.
  const Estimate partial = ratio_ci({{4.0}, {}}, {{2.0}, {3.0}}, 1);
  CHECK(partial.value == 2.0);
  const Estimate noisy = ratio_ci({{2.0, 2.4, 1.8}, {4.0, 4.4}}, {{1.0, 1.1}, {2.0, 2.1, 1.9}}, seed_of("noisy"));
  CHECK(noisy.lo < noisy.value);
  CHECK(noisy.value < noisy.hi);
  CHECK(ratio_ci({{2.0, 2.4, 1.8}, {4.0, 4.4}}, {{1.0, 1.1}, {2.0, 2.1, 1.9}}, seed_of("noisy")).lo == noisy.lo);
}

TEST_CASE("Wilson intervals", "[report][stats]") {
  const Estimate none = wilson(0, 10), half = wilson(5, 10), all = wilson(10, 10), some = wilson(7, 20);
  CHECK(none.value == 0);
  CHECK(none.lo == Approx(0.0).margin(1e-15));
  CHECK(none.hi == Approx(0.2775327998628892));
  CHECK(half.lo == Approx(0.236593090512564));
  CHECK(half.hi == Approx(0.7634069094874361));
  CHECK(all.lo == Approx(0.7224672001371107));
  CHECK(all.hi == Approx(1.0));
  CHECK(all.hi <= 1.0);
  CHECK(some.lo == Approx(0.18119182410108206));
  CHECK(some.hi == Approx(0.5671457233147638));
  CHECK(wilson(3, 3).lo == Approx(0.43850296824495455));
  CHECK(std::isnan(wilson(0, 0).value));
}

TEST_CASE("Mann-Whitney U agrees with scipy.stats.mannwhitneyu", "[report][stats]") {
  const UTest a = mann_whitney_u({1, 2, 3}, {4, 5, 6});  // exact
  CHECK(a.exact);
  CHECK(a.u == 0);
  CHECK(a.p == Approx(0.1));
  const UTest b = mann_whitney_u({1.1, 2.2, 3.3, 4.4}, {0.5, 2.5, 5.5, 6.5, 7.5});  // exact, sizes differ
  CHECK(b.exact);
  CHECK(b.u == 6);
  CHECK(b.p == Approx(0.4126984126984127));
  const UTest c = mann_whitney_u({1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                                 {3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5});  // normal approximation
  CHECK_FALSE(c.exact);
  CHECK(c.u == 28);
  CHECK(c.p == Approx(0.06203104181536411));
  const UTest d = mann_whitney_u({1, 2, 2, 3, 3, 3, 4, 5, 6, 7}, {3, 4, 4, 5, 5, 6, 7, 8, 9, 9, 10});  // ties
  CHECK_FALSE(d.exact);
  CHECK(d.u == 19.5);
  CHECK(d.p == Approx(0.013049295236126156));
  CHECK(mann_whitney_u({5, 5, 5}, {5, 5, 5}).p == 1.0);  // all equal
  CHECK(std::isnan(mann_whitney_u({}, {1.0}).p));
}

TEST_CASE("ECDF of runtime-to-target, ERT and performance profiles", "[report][stats]") {
  const std::vector<double> runtimes{INFINITY, 20, 10, 20};
  const auto steps = ecdf(runtimes);
  REQUIRE(steps.size() == 2);
  CHECK(steps[0] == std::pair<double, double>(10, 0.25));
  CHECK(steps[1] == std::pair<double, double>(20, 0.75));  // the run that never reached stays out
  CHECK(ecdf_at(runtimes, 9) == 0);
  CHECK(ecdf_at(runtimes, 15) == 0.25);
  CHECK(ecdf_at(runtimes, 1e300) == 0.75);
  CHECK(ecdf({INFINITY}).empty());
  // ERT: every run's budget over the successes: (100 + 10 + 20 + 20) / 3.
  CHECK(ert({100, 10, 20, 20}, {false, true, true, true}) == 50);
  CHECK(std::isinf(ert({100, 100}, {false, false})));
  CHECK(std::isnan(ert({}, {})));
  // Two solvers on four problems; nobody solves the third.
  const auto ratios = performance_ratios({{1, 2}, {4, 2}, {INFINITY, INFINITY}, {3, INFINITY}});
  REQUIRE(ratios.size() == 2);
  CHECK(ratios[0] == std::vector<double>{1, 1, 2, INFINITY});
  CHECK(ratios[1] == std::vector<double>{1, 2, INFINITY, INFINITY});
  CHECK(profile_at(ratios[0], 1) == 0.5);
  CHECK(profile_at(ratios[0], 2) == 0.75);
  CHECK(profile_at(ratios[0], 1000) == 0.75);
  CHECK(profile_at(ratios[1], 1) == 0.25);
  CHECK(profile_at(ratios[1], 1.99) == 0.25);
}

TEST_CASE("time units per column and three significant digits", "[report][format]") {
  CHECK(unit_for({2e-7, 3e-7, 5e-6}) == TimeUnit::ns);  // median 300 ns
  CHECK(unit_for({2e-6, 3e-6, 5e-3}) == TimeUnit::us);
  CHECK(unit_for({0.002, 0.005}) == TimeUnit::ms);
  CHECK(unit_for({1.5, 20.0}) == TimeUnit::s);
  CHECK(unit_for({NAN, INFINITY}) == TimeUnit::ns);
  CHECK(std::string(unit_name(TimeUnit::us)) == "us");
  CHECK(sig3(1.5) == "1.50");
  CHECK(sig3(0.012345) == "0.0123");
  CHECK(sig3(12345) == "12300");
  CHECK(sig3(999.6) == "1000");
  CHECK(sig3(0.0009996) == "0.00100");
  CHECK(sig3(-2.5) == "-2.50");
  CHECK(sig3(0) == "0");
  CHECK(sig3(NAN) == "-");
  CHECK(sig3(INFINITY) == "inf");
  CHECK(sig3(1e-5) == "1.00e-05");
  CHECK(sig3(3e7) == "3.00e+07");
  CHECK(time_in(3.14159e-7, TimeUnit::ns) == "314");
  CHECK(time_in(3.14159e-7, TimeUnit::us) == "0.314");  // not 0: sub-unit times keep their digits
  CHECK(time_in(2.0, TimeUnit::ms) == "2000");
}

TEST_CASE("one table, three writers: Markdown, CSV and the page's data say the same", "[report][table]") {
  Table t;
  t.name = "demo";
  t.title = "Demo";
  t.columns = {Column{"strategy", {"strategy"}, Format::text, Interval::none, true},
               Column{"median time", {"time_s", "time_lo_s", "time_hi_s"}, Format::seconds, Interval::bootstrap, true},
               Column{"converged", {"converged", "rate", "lo", "hi"}, Format::tally, Interval::wilson, true},
               Column{"", {"extra"}, Format::count, Interval::none, true}};
  const Estimate w = wilson(3, 4);
  Value tally = number(w.value, w.lo, w.hi);
  tally.k = 3;
  tally.n = 4;
  Value none;
  t.rows = {{text_value("a"), number(2.5e-6, 2e-6, 3e-6), tally, count_value(7)},
            {text_value("b,</script>"), number(NAN), none, count_value(1)}};
  // Markdown: the unit in the header, the interval in brackets, no column without a header.
  const std::string md = markdown_table(t);
  CHECK(md.rfind("| strategy | median time (us) | converged |\n| --- | ---: | ---: |\n", 0) == 0);
  CHECK(md.find("| a | 2.50 [2.00, 3.00] | 3/4, 75% [30, 95] |\n") != std::string::npos);
  CHECK(md.find("| b,</script> | - | - |\n") != std::string::npos);
  // CSV: full precision in seconds, each interval in two columns, "" for missing.
  CHECK(csv(t) ==
        "strategy,time_s,time_lo_s,time_hi_s,converged,rate,lo,hi,extra\n"
        "a,2.5e-06,2e-06,3e-06,3,0.75," +
            csv_number(w.lo) + "," + csv_number(w.hi) +
            ",7\n"
            "\"b,</script>\",,,,0,,,,1\n");
  // The page: the Markdown cells, and the numbers to sort by.
  const auto j = table_json(t);
  REQUIRE(j["columns"].size() == 3);
  CHECK(j["rows"] == 2);
  CHECK(j["columns"][1]["h"] == "median time (us)");
  CHECK(j["columns"][1]["i"] == "95% bootstrap interval");
  CHECK(j["columns"][1]["text"] == nlohmann::ordered_json::array({"2.50 [2.00, 3.00]", "-"}));
  CHECK(j["columns"][1]["x"] == nlohmann::ordered_json::array({2.5e-6, nullptr}));
  CHECK(j["columns"][2]["text"][0] == "3/4, 75% [30, 95]");
  CHECK_FALSE(j["columns"][0].contains("x"));
  // Nothing in the data can end its <script> element, and nothing is fetched.
  Page page;
  page.title = "Demo <page>";
  page.tables = {t};
  const std::string html = html_page(page);
  std::size_t ends = 0;
  for (std::size_t p = 0; (p = html.find("</script>", p)) != std::string::npos; ++p) ++ends;
  CHECK(ends == 3);  // the data, Chart.js, the page's script
  CHECK(html.find("b,\\u003c/script>") != std::string::npos);
  CHECK(html.find("<title>Demo &lt;page&gt;</title>") != std::string::npos);
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("Chart.js v") != std::string::npos);  // Debian's, inlined
}

// wcs._wcs's arguments from Python objects, strictly: what is not a real number is
// refused, never cast (a bool, a str, None, a numpy bool array), with TypeError naming
// the parameter, its type and its value; a number out of its range (a negative seed,
// NaN where it is not allowed, a pair of three) is a ValueError (wcs.InputError) naming
// the parameter and the value, as the command line's messages do.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "wcs/error.hpp"
#include "wcs/format.hpp"

namespace wcs::python {

namespace py = pybind11;

/// "bool True", "str 'ab'": a value as messages show it.
inline std::string shown(const py::handle& value) {
  return std::string(py::str(value.get_type().attr("__name__"))) + " " + std::string(py::repr(value));
}

inline bool is_numpy(const py::handle& value, const char* type) {
  static const py::handle numpy = py::module_::import("numpy").release();  // kept to the end of the process
  return py::isinstance(value, numpy.attr(type));
}

/// A Python int or float (numpy's integer and floating scalars too); not a bool. NaN
/// and infinities pass: the problem's validation says where they are not allowed.
inline double real_number(const std::string& name, const py::handle& value) {
  const bool boolean = PyBool_Check(value.ptr()) || is_numpy(value, "bool_");
  if (!boolean && PyFloat_Check(value.ptr())) return PyFloat_AsDouble(value.ptr());
  if (!boolean && PyLong_Check(value.ptr())) {
    const double v = PyLong_AsDouble(value.ptr());
    if (v == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      throw InputError(name + ": " + std::string(py::repr(value)) + " is too large for a double");
    }
    return v;
  }
  if (boolean || !(is_numpy(value, "integer") || is_numpy(value, "floating")))
    throw py::type_error(name + ": expected a real number, got " + shown(value));
  const double v = py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>();
  return v;
}

/// A Python int (numpy's integer scalars too) that fits a long long; not a bool, not a
/// float. Its range is the problem's validation's.
inline long long integer(const std::string& name, const py::handle& value) {
  if (PyBool_Check(value.ptr()) || !(PyLong_Check(value.ptr()) || is_numpy(value, "integer")))
    throw py::type_error(name + ": expected an integer, got " + shown(value));
  const py::object i = py::int_(py::reinterpret_borrow<py::object>(value));
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
  if (overflow != 0)
    throw InputError(name + ": " + std::string(py::repr(i)) + " is too " + (overflow > 0 ? "large" : "small"));
  return v;
}

/// A seed: an int within the command line's rule (wcs::to_seed).
inline std::uint64_t seed(const std::string& name, const py::handle& value) {
  if (PyBool_Check(value.ptr()) || !(PyLong_Check(value.ptr()) || is_numpy(value, "integer")))
    throw py::type_error(name + ": expected an integer seed, got " + shown(value));
  const py::object i = py::int_(py::reinterpret_borrow<py::object>(value));
  return parse_seed(std::string(py::repr(i)), name);
}

/// True or False (numpy's bool too); not 0 or 1, not a str.
inline bool boolean(const std::string& name, const py::handle& value) {
  if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
  if (is_numpy(value, "bool_")) return py::bool_(py::reinterpret_borrow<py::object>(value));
  throw py::type_error(name + ": expected True or False, got " + shown(value));
}

inline std::string text(const std::string& name, const py::handle& value) {
  if (!py::isinstance<py::str>(value)) throw py::type_error(name + ": expected a str, got " + shown(value));
  return value.cast<std::string>();
}

/// A list, a tuple or a one-dimensional numpy array of real numbers (dtype integer or
/// floating); not a str, a dict, a set or an array of bools or objects.
inline std::vector<double> real_numbers(const std::string& name, const py::handle& value) {
  std::vector<double> out;
  if (py::isinstance<py::array>(value)) {
    const auto a = py::reinterpret_borrow<py::array>(value);
    const char kind = a.dtype().kind();
    if (kind != 'f' && kind != 'i' && kind != 'u')
      throw py::type_error(name + ": expected an array of real numbers, got dtype " + std::string(py::str(a.dtype())));
    if (a.ndim() != 1) throw InputError(name + ": expected one dimension, got " + std::to_string(a.ndim()));
    const auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
    out.assign(d.data(), d.data() + d.size());
    return out;
  }
  if (!(py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)))
    throw py::type_error(name + ": expected a list, a tuple or a numpy array of real numbers, got " + shown(value));
  const auto seq = py::reinterpret_borrow<py::sequence>(value);
  out.reserve(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) out.push_back(real_number(name + "[" + std::to_string(i) + "]", seq[i]));
  return out;
}

}  // namespace wcs::python

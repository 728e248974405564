"""weft_library: a cc_library, and its twin over the syscall fault seam.

tests/fault_injection_test makes chosen syscalls fail (runtime/io/sys/sys.h). The
seam is inline: it is compiled in or out by WEFT_FAULT_INJECTION in every
file that includes it. So each library on the path from the seam up to
//runtime and //net comes twice: `name`, and `name_with_faults`, built with
the define over the `_with_faults` twins of its weft dependencies. The two
are never linked into one program.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def _with_faults(dep):
    """The fault-seam twin of a weft label; other repositories' stay."""
    if dep.startswith("@"):
        return dep
    if ":" in dep:
        return dep + "_with_faults"
    return dep + ":" + dep.split("/")[-1] + "_with_faults"

def _plus_tests(visibility):
    if visibility == None or "//visibility:public" in visibility:
        return visibility
    return visibility + ["//tests:__subpackages__"]

def weft_library(name, deps = [], visibility = None, **kwargs):
    cc_library(
        name = name,
        deps = deps,
        visibility = visibility,
        **kwargs
    )
    cc_library(
        name = name + "_with_faults",
        testonly = True,
        defines = ["WEFT_FAULT_INJECTION"],
        deps = [_with_faults(d) for d in deps],
        visibility = _plus_tests(visibility),
        **kwargs
    )

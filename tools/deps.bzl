"""weft's third-party dependencies, backed by Debian's packages.

`weft_dependencies()` declares three repositories under the names upstream
uses, so BUILD files written against them would work unchanged with upstream
sources:

  @com_google_googletest        //:gtest, //:gtest_main, //:gmock
  @com_github_google_benchmark  //:benchmark, //:benchmark_main
  @com_google_absl              //absl/<pkg>:<target> (see _ABSL_TARGETS)

Each is a thin cc_library over the system headers and libraries; abseil's
link flags come from its own pkg-config files. A missing package makes the
build fail with one line naming the Debian package to install.
"""

# Upstream abseil label -> pkg-config module that Debian's libabsl-dev ships.
# Add a row when weft starts using another abseil target.
_ABSL_TARGETS = {
    "base:core_headers": "absl_core_headers",
    "cleanup:cleanup": "absl_cleanup",
    "container:btree": "absl_btree",
    "container:flat_hash_map": "absl_flat_hash_map",
    "flags:flag": "absl_flags",
    "flags:parse": "absl_flags_parse",
    "flags:usage": "absl_flags_usage",
    "functional:any_invocable": "absl_any_invocable",
    "hash:hash": "absl_hash",
    "status:status": "absl_status",
    "status:statusor": "absl_statusor",
    "strings:str_format": "absl_str_format",
    "strings:strings": "absl_strings",
    "time:time": "absl_time",
}

def _require(ctx, path, package):
    if not ctx.path(path).exists:
        fail("weft: %s is missing: install the Debian package %s (tools/bazel does it as root)" % (path, package))

def _pkg_config(ctx, module, flag):
    result = ctx.execute(["pkg-config", flag, module])
    if result.return_code != 0:
        fail("weft: pkg-config %s %s failed: install the Debian packages pkg-config and libabsl-dev (%s)" %
             (flag, module, result.stderr.strip()))
    return [f for f in result.stdout.strip().split(" ") if f]

def _absl_impl(ctx):
    _require(ctx, "/usr/include/absl/base/config.h", "libabsl-dev")
    _require(ctx, "/usr/bin/pkg-config", "pkg-config")
    packages = {}
    for label, module in _ABSL_TARGETS.items():
        pkg, name = label.split(":")
        packages.setdefault(pkg, []).append((name, module))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    for pkg, targets in packages.items():
        rules = ['package(default_visibility = ["//visibility:public"])\n']
        for name, module in targets:
            defines = [f[2:] for f in _pkg_config(ctx, module, "--cflags") if f.startswith("-D")]
            linkopts = _pkg_config(ctx, module, "--libs")
            rules.append("cc_library(\n    name = %r,\n    defines = %r,\n    linkopts = %r,\n)\n" %
                         (name, defines, linkopts))
        ctx.file("absl/%s/BUILD.bazel" % pkg, "\n".join(rules))

_absl_repository = repository_rule(
    implementation = _absl_impl,
    local = True,
    doc = "abseil from Debian's libabsl-dev, one cc_library per upstream label.",
)

def _system_library_impl(ctx):
    for path, package in ctx.attr.requires.items():
        _require(ctx, path, package)
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD.bazel", ctx.attr.build_file_content)

_system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "build_file_content": attr.string(mandatory = True),
        "requires": attr.string_dict(doc = "file that must exist -> Debian package providing it"),
    },
    local = True,
)

_GOOGLETEST_BUILD = """
package(default_visibility = ["//visibility:public"])

cc_library(name = "gtest", linkopts = ["-lgtest", "-pthread"])

cc_library(name = "gtest_main", linkopts = ["-lgtest_main"], deps = [":gtest"])

cc_library(name = "gmock", linkopts = ["-lgmock"], deps = [":gtest"])
"""

_BENCHMARK_BUILD = """
package(default_visibility = ["//visibility:public"])

cc_library(name = "benchmark", linkopts = ["-lbenchmark", "-pthread"])

cc_library(name = "benchmark_main", linkopts = ["-lbenchmark_main"], deps = [":benchmark"])
"""

def weft_dependencies():
    """Declares GoogleTest, Google Benchmark and abseil unless already declared."""
    if not native.existing_rule("com_google_googletest"):
        _system_library(
            name = "com_google_googletest",
            build_file_content = _GOOGLETEST_BUILD,
            requires = {
                "/usr/include/gtest/gtest.h": "libgtest-dev",
                "/usr/lib/x86_64-linux-gnu/libgtest.a": "libgtest-dev",
            },
        )
    if not native.existing_rule("com_github_google_benchmark"):
        _system_library(
            name = "com_github_google_benchmark",
            build_file_content = _BENCHMARK_BUILD,
            requires = {
                "/usr/include/benchmark/benchmark.h": "libbenchmark-dev",
                "/usr/lib/x86_64-linux-gnu/libbenchmark.so": "libbenchmark-dev",
            },
        )
    if not native.existing_rule("com_google_absl"):
        _absl_repository(name = "com_google_absl")

"""The headers a user may include, package by package.

A user depends on @weft//runtime and @weft//net only (docs/using-weft.md).
With clang's layering_check, a file may include only headers of targets it
depends on directly, so every header listed here is in the hdrs of the
umbrella as well as of the layer that builds it: runtime/BUILD.bazel takes
RUNTIME_PUBLIC_HDRS (each layer exports its files to it), and //net lists
all of net/'s headers. The list for runtime/ is runtime/weft.h's includes
plus the Timeout headers; tools/consumer_check.sh builds a program that
includes every one from a separate workspace.
"""

# //net's headers, every one public.
NET_PUBLIC_HDRS = [
    "accept.h",
    "accept_with_backoff.h",
    "async_io.h",
    "buf_reader.h",
    "buf_writer.h",
    "buffer_pool.h",
    "byte_buffer.h",
    "codec.h",
    "connect.h",
    "copy.h",
    "datagram_socket.h",
    "duplex.h",
    "framed.h",
    "io_ext.h",
    "io_split.h",
    "length_delimited_codec.h",
    "lines_codec.h",
    "lookup_host.h",
    "socket_error.h",
    "socket_pair.h",
    # Also in :socket_addr (built there, alone, for the fuzzers): listed
    # here so that a user of //net may include them.
    "socket_addr.h",
    "split.h",
    "stream_socket.h",
    "tcp_listener.h",
    "tcp_socket.h",
    "tcp_stream.h",
    "udp_socket.h",
    "unix_addr.h",
    "unix_datagram.h",
    "unix_stream.h",
]

RUNTIME_PUBLIC_HDRS = {
    "io": ["async_fd.h"],
    "sched": [
        "join_set.h",
        "runtime.h",
        "spawn.h",
        "spawn_blocking.h",
        "task_tracker.h",
    ],
    "signal": [
        "signal.h",
        "stop_signal.h",
    ],
    "sync": [
        "barrier.h",
        "broadcast.h",
        "cancellation_token.h",
        "mpsc.h",
        "mutex.h",
        "notify.h",
        "once_cell.h",
        "oneshot.h",
        "rw_lock.h",
        "semaphore.h",
        "send_result.h",
        "watch.h",
    ],
    "task": [
        "abort_handle.h",
        "abort_on_drop_handle.h",
        "join.h",
        "join_error.h",
        "join_handle.h",
        "poll_fn.h",
        "select.h",
        "task.h",
        "waker.h",
        "yield_now.h",
    ],
    "time": [
        "sleep.h",
        "time.h",
        "timeout.h",
        "timeout_result.h",
    ],
}

def export_public_headers(layer):
    """In runtime/<layer>/BUILD.bazel: lets //runtime list the layer's public headers."""
    native.exports_files(
        RUNTIME_PUBLIC_HDRS[layer],
        # //docs compiles their usage examples (//docs:snippets_test).
        visibility = ["//docs:__pkg__", "//runtime:__pkg__"],
    )

def runtime_public_hdr_labels():
    return [
        "//runtime/%s:%s" % (layer, hdr)
        for layer, hdrs in RUNTIME_PUBLIC_HDRS.items()
        for hdr in hdrs
    ]

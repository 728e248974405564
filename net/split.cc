#include "net/split.h"

#include "absl/strings/str_cat.h"

namespace weft::net {

absl::StatusOr<TcpStream> Reunite(OwnedReadHalf& read, OwnedWriteHalf& write) {
  if (read.stream_ == nullptr || read.stream_ != write.stream_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "reunite: the halves belong to different streams (read half of ",
        read.stream_ ? read.stream_->PeerAddr().ToString() : "nothing",
        ", write half of ",
        write.stream_ ? write.stream_->PeerAddr().ToString() : "nothing", ")"));
  }
  TcpStream stream = std::move(*read.stream_);
  read.stream_.reset();
  write.stream_.reset();  // no shutdown: the stream lives on whole
  return stream;
}

}  // namespace weft::net

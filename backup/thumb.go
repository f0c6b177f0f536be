package backup

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/thumb"
)

// ThumbSide is the longer side of a gallery preview, in pixels.
const ThumbSide = 320

// thumbName is where the preview of a blob is kept: beside it, sealed like it.
func thumbName(blobName string) string { return "thumb-" + blobName }

// Thumbnail returns a small JPEG preview of a picture the user backed up, made on first use and
// kept sealed beside the picture. Returns ENOTFOUND if the user has no such file and EINVALID
// for a file that is not a JPEG, PNG or GIF picture of a sane size.
func (s *Service) Thumbnail(ctx context.Context, hash beifen.BlobKey) ([]byte, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.fileEntry(ctx, a, hash); err != nil {
		return nil, err
	}
	name := thumbName(a.blobName(hash))
	if rc, err := a.blobs.Open(ctx, name); err == nil {
		defer rc.Close()
		return io.ReadAll(rc)
	}
	rc, err := a.blobs.Open(ctx, a.blobName(hash))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := thumb.Make(rc, ThumbSide)
	switch {
	case errors.Is(err, thumb.ErrFormat):
		return nil, beifen.Errorf(beifen.EINVALID, "Not a JPEG, PNG or GIF picture.")
	case errors.Is(err, thumb.ErrTooLarge):
		return nil, beifen.Errorf(beifen.EINVALID, "The picture is too large to preview.")
	case err != nil:
		return nil, err
	}
	if err := a.blobs.Put(ctx, name, bytes.NewReader(b), int64(len(b))); err != nil {
		s.Logger.WarnContext(ctx, "thumbnail not kept", "user_id", a.id, "err", err)
	}
	return b, nil
}

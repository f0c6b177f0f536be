package beifen

import (
	"context"
	"strings"
	"time"
)

// PushOptOutLine ends every marketing push (clause 1.1.3): where to stop them.
const PushOptOutLine = "不想再收到？请在“隐私中心”关闭营销消息。"

// PushMakers are the phone makers' push services a device token may belong to (clause 3.1.2e).
var PushMakers = []string{"huawei", "honor", "xiaomi", "oppo", "vivo", "meizu"}

// PushDevice is the push token of one signed-in device: the phone maker's push service and the
// token it gave the app there. It belongs to the session (or API token) of the device that
// registered it, so it goes when that session is signed out or revoked, and with the account.
// The token is kept only sealed under the server's key (Sealed) and as a keyed hash (TokenHash,
// to find the same phone registering again); Token is filled in once opened.
type PushDevice struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	SessionID int64     `json:"session_id"` // the Token it came from
	Maker     string    `json:"maker"`
	Token     string    `json:"-"`
	TokenHash []byte    `json:"-"`
	Sealed    []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate returns EINVALID for an unknown maker or an unusable token.
func (d *PushDevice) Validate() error {
	known := false
	for _, m := range PushMakers {
		known = known || m == d.Maker
	}
	if !known {
		return Errorf(EINVALID, "Push maker must be one of %s.", strings.Join(PushMakers, ", "))
	}
	if strings.TrimSpace(d.Token) == "" || len(d.Token) > 512 {
		return Errorf(EINVALID, "A push token needs 1 to 512 characters.")
	}
	return nil
}

// PushDeviceService stores the push tokens of devices.
type PushDeviceService interface {
	// PutPushDevice creates or replaces the push token of d.SessionID, a session or token of
	// the context user, and sets d's ID. The same token (by TokenHash) registered before, by
	// anyone, is removed first: a phone that changed hands gets nobody else's pushes. Returns
	// ENOTFOUND if the session is not the context user's.
	PutPushDevice(ctx context.Context, d *PushDevice) error

	// FindPushDeviceByID returns ENOTFOUND if there is no such device or it is another user's.
	FindPushDeviceByID(ctx context.Context, id int64) (*PushDevice, error)

	// FindPushDevices returns a user's devices whose session has not expired, oldest first. It
	// is for the notification centre, which sends to users other than the context's.
	FindPushDevices(ctx context.Context, userID int64) ([]*PushDevice, error)

	// DeletePushDevice removes one of the context user's devices. Returns ENOTFOUND if there is
	// none.
	DeletePushDevice(ctx context.Context, id int64) error
}

// PushSender hands a notification to the push service of a device's maker.
type PushSender interface {
	// SendPush sends title and body to one device token of maker's push service. Returns
	// EFORBIDDEN if push is not configured.
	SendPush(ctx context.Context, maker, token, title, body string) error
}

package privacy

import (
	"context"
	"time"

	"github.com/beifen/beifen"
)

// The first version beifen publishes when a server starts with none: a short bilingual summary
// of what the platform does with personal data. Operators publish their own versions with
// `beifen policy publish`.
var defaults = []*beifen.PolicyDocument{
	{Version: "1", Lang: "zh-CN", Title: "手机备份隐私政策", Body: `# 手机备份隐私政策

我们只为您使用的服务收集必要的信息：注册与登录需要手机号码；备份您选择上传的通讯录、通话记录、短信彩信、通话录音与照片。

- 您的备份内容以您账户专属的密钥加密保存，日志中不记录号码、姓名或短信内容。
- 您可以随时查看、导出、更正和删除您的数据，并可注销账户；注销经短信验证并有 15 天冷静期，期满后全部数据不可恢复地删除。
- 团队使用时，对个人信息的访问（播放录音、查看号码、导出报表）均记入防篡改的审计日志。
- 投诉与请求在 15 个工作日内答复。政策变更将提前通知；重大变更须经您同意后方可继续使用。`},
	{Version: "1", Lang: "en", Title: "Phone Backup privacy policy", Body: `# Phone Backup privacy policy

We collect only what the services you use need: your phone number to sign up and sign in, and the
contacts, call log, SMS/MMS, call recordings and photos you choose to back up.

- Your backups are encrypted under a key of your own account; logs never hold numbers, names or
  message bodies.
- You can see, export, correct and delete your data at any time, and close your account: after an
  SMS check and a 15-day cooling-off period everything is erased for good.
- In teams, every access to personal data (playing a recording, revealing a number, exporting a
  report) goes into a tamper-evident audit log.
- Complaints and requests are answered within 15 working days. You are told of policy changes
  before they take effect; a material change needs your consent before you go on.`},
}

// EnsureDefault publishes the built-in first version if no policy is published yet.
func (s *Service) EnsureDefault(ctx context.Context) error {
	docs, err := s.Store.FindPolicies(ctx)
	if err != nil || len(docs) > 0 {
		return err
	}
	for _, d := range defaults {
		doc := *d
		doc.EffectiveAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := s.Publish(ctx, &doc); err != nil && beifen.ErrorCode(err) != beifen.ECONFLICT {
			return err
		}
	}
	return nil
}

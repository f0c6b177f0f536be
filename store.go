package beifen

// Store is every storage service of one backend (SQLite or PostgreSQL), as cmd/beifen wires them.
type Store struct {
	Users      UserService
	Tokens     TokenService
	OTPs       OTPService
	Records    RecordService
	Snapshots  SnapshotService
	Sources    SourceService
	Blobs      BlobEntryService
	Teams      TeamService
	Leads      LeadService
	DNC        DNCService
	Tasks      TaskService
	Templates  SMSTemplateService
	Calls      PhoneCallService
	Recs       RecordingService
	Audit      AuditService
	Policies   PolicyService
	Complaints ComplaintService
	Rights     RightsRequestService
	Incidents  IncidentService
	Shares     ShareService
	Settings   SettingService
	SignIns    SignInService
	Holds      HoldService
	Notices    NoticeService
	Announces  AnnouncementService
	UserState  UserStateService
	Transfers  TransferService
	Activities ActivityService
	Reports    ErrorReportService
	Keys       KeyService
	RealNames  RealNameService
	Feeds      FeedService
	Pushes     PushDeviceService
	Plans      PlanService
}

package postgres

import "github.com/beifen/beifen"

// NewStore returns every service on db.
func NewStore(db *DB) beifen.Store {
	return beifen.Store{
		Users:      NewUserService(db),
		Tokens:     NewTokenService(db),
		OTPs:       NewOTPService(db),
		Records:    NewRecordService(db),
		Snapshots:  NewSnapshotService(db),
		Sources:    NewSourceService(db),
		Blobs:      NewBlobEntryService(db),
		Teams:      NewTeamService(db),
		Leads:      NewLeadService(db),
		DNC:        NewDNCService(db),
		Tasks:      NewTaskService(db),
		Templates:  NewSMSTemplateService(db),
		Calls:      NewPhoneCallService(db),
		Recs:       NewRecordingService(db),
		Audit:      NewAuditService(db),
		Policies:   NewPolicyService(db),
		Complaints: NewComplaintService(db),
		Rights:     NewRightsRequestService(db),
		Incidents:  NewIncidentService(db),
		Shares:     NewShareService(db),
		Settings:   NewSettingService(db),
		SignIns:    NewSignInService(db),
		Holds:      NewHoldService(db),
		Notices:    NewNoticeService(db),
		Announces:  NewAnnouncementService(db),
		UserState:  NewUserStateService(db),
		Transfers:  NewTransferService(db),
		Activities: NewActivityService(db),
		Reports:    NewErrorReportService(db),
		Keys:       NewKeyService(db),
		RealNames:  NewRealNameService(db),
		Feeds:      NewFeedService(db),
		Pushes:     NewPushDeviceService(db),
		Plans:      NewPlanService(db),
	}
}

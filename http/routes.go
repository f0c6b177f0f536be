package http

import "net/http"

// routes maps the whole API surface, then wraps it in the middleware chain.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	s.uiRoutes(mux)

	mux.HandleFunc("POST /api/v1/auth/code", s.handleAuthCode)
	mux.HandleFunc("POST /api/v1/auth/signin", s.handleAuthSignIn)
	mux.HandleFunc("POST /api/v1/auth/password", s.handleAuthPassword)
	mux.HandleFunc("POST /api/v1/auth/signout", s.requireAuth(s.handleAuthSignOut))
	mux.HandleFunc("GET /api/v1/me", s.requireAuth(s.handleMe))
	mux.HandleFunc("PUT /api/v1/me/password", s.requireAuth(s.handleSetPassword))
	mux.HandleFunc("PUT /api/v1/me/profile", s.requireAuth(s.handleProfileUpdate))
	mux.HandleFunc("GET /api/v1/me/sessions", s.requireAuth(s.handleSessionList))
	mux.HandleFunc("GET /api/v1/me/signins", s.requireAuth(s.handleSignInList))
	mux.HandleFunc("POST /api/v1/me/guardian", s.requireAuth(s.handleGuardianRequest))
	mux.HandleFunc("POST /api/v1/me/guardian/confirm", s.requireAuth(s.handleGuardianConfirm))
	mux.HandleFunc("DELETE /api/v1/me/sessions/{id}", s.requireAuth(s.handleSessionRevoke))
	mux.HandleFunc("POST /api/v1/me/deletion", s.requireAuth(s.handleDeletionRequest))
	mux.HandleFunc("GET /api/v1/policies", s.handlePolicyList)
	mux.HandleFunc("GET /api/v1/third-parties", s.handleThirdParties)
	mux.HandleFunc("POST /api/v1/reports", s.handleErrorReport)
	mux.HandleFunc("GET /api/v1/policies/current", s.handlePolicyCurrent)
	mux.HandleFunc("GET /api/v1/me/policy", s.requireAuth(s.handlePolicyStatus))
	mux.HandleFunc("POST /api/v1/me/policy", s.requireAuth(s.handlePolicyAccept))
	mux.HandleFunc("DELETE /api/v1/me/deletion", s.requireAuth(s.handleDeletionCancel))
	mux.HandleFunc("GET /api/v1/me/consents", s.requireAuth(s.handleConsentList))
	mux.HandleFunc("PUT /api/v1/me/consents/{purpose}", s.requireAuth(s.handleConsentSet))

	mux.HandleFunc("POST /api/v1/uploads/check", s.requireAuth(s.handleUploadCheck))
	mux.HandleFunc("GET /api/v1/uploads/{hash}", s.requireAuth(s.handleUploadParts))
	mux.HandleFunc("PUT /api/v1/uploads/{hash}", s.requireAuth(s.handleUploadPart))
	mux.HandleFunc("PUT /api/v1/fragments/{hash}", s.requireAuth(s.handleUploadFragment))

	mux.HandleFunc("POST /api/v1/snapshots", s.requireAuth(s.handleSnapshotCreate))
	mux.HandleFunc("GET /api/v1/snapshots", s.requireAuth(s.handleSnapshotList))
	mux.HandleFunc("GET /api/v1/snapshots/{id}", s.requireAuth(s.handleSnapshotView))
	mux.HandleFunc("GET /api/v1/snapshots/{id}/diff/{other}", s.requireAuth(s.handleSnapshotDiff))
	mux.HandleFunc("GET /api/v1/snapshots/{id}/contacts.vcf", s.requireAuth(s.handleExportContacts))
	mux.HandleFunc("GET /api/v1/snapshots/{id}/sms.xml", s.requireAuth(s.handleExportMessages))
	mux.HandleFunc("GET /api/v1/snapshots/{id}/calls.xml", s.requireAuth(s.handleExportCalls))
	mux.HandleFunc("GET /api/v1/snapshots/{id}/files", s.requireAuth(s.handleSnapshotFiles))
	mux.HandleFunc("GET /api/v1/files/{hash}", s.requireAuth(s.handleFileContent))

	mux.HandleFunc("POST /api/v1/leads/import", s.requireAuth(s.handleLeadImport))
	mux.HandleFunc("GET /api/v1/leads/imports/{id}/rejected.csv", s.requireAuth(s.handleLeadRejected))
	mux.HandleFunc("GET /api/v1/leads", s.requireAuth(s.handleLeadList))
	mux.HandleFunc("GET /api/v1/customers.vcf", s.requireAuth(s.handleCustomersVCard))
	mux.HandleFunc("GET /api/v1/leads/{id}/timeline", s.requireAuth(s.handleTimeline))
	mux.HandleFunc("POST /api/v1/calls", s.requireAuth(s.handleCallUpload))
	mux.HandleFunc("POST /api/v1/recordings", s.requireAuth(s.handleRecordingUpload))
	mux.HandleFunc("GET /api/v1/recordings", s.requireAuth(s.handleRecordingList))
	mux.HandleFunc("GET /api/v1/recordings/{id}/audio", s.requireAuth(s.handleRecordingAudio))
	mux.HandleFunc("POST /api/v1/recordings/{id}/link", s.requireAuth(s.handleRecordingLink))
	mux.HandleFunc("PUT /api/v1/recordings/{id}/review", s.requireAuth(s.handleRecordingReview))
	mux.HandleFunc("GET /api/v1/recordings/{id}/accesses", s.requireAuth(s.handleRecordingAccesses))

	mux.HandleFunc("POST /api/v1/tasks", s.requireAuth(s.handleTaskCreate))
	mux.HandleFunc("GET /api/v1/callbacks", s.requireAuth(s.handleCallbackList))
	mux.HandleFunc("POST /api/v1/tasks/{id}/next", s.requireAuth(s.handleTaskNext))
	mux.HandleFunc("POST /api/v1/tasks/{id}/leads/{lead_id}/outcome", s.requireAuth(s.handleTaskOutcome))
	mux.HandleFunc("GET /api/v1/tasks/{id}/report", s.requireAuth(s.handleReport))
	mux.HandleFunc("GET /api/v1/tasks/{id}/report.csv", s.requireAuth(s.handleReportCSV))
	mux.HandleFunc("GET /api/v1/tasks/{id}/report.xlsx", s.requireAuth(s.handleReportXLSX))
	mux.HandleFunc("PUT /api/v1/sms/templates/{outcome}", s.requireAuth(s.handleTemplatePut))
	mux.HandleFunc("GET /api/v1/audit", s.requireAuth(s.handleAuditList))
	mux.HandleFunc("POST /api/v1/complaints", s.requireAuth(s.handleComplaintFile))
	mux.HandleFunc("GET /api/v1/complaints", s.requireAuth(s.handleComplaintList))
	mux.HandleFunc("GET /api/v1/complaints/{id}/photos/{n}", s.requireAuth(s.handleComplaintPhoto))
	mux.HandleFunc("GET /api/v1/audit/verify", s.requireAuth(s.handleAuditVerify))
	mux.HandleFunc("POST /api/v1/sms/replies", s.requireAuth(s.handleSMSReply))
	mux.HandleFunc("POST /api/v1/sms/inbound", s.handleSMSInbound)
	mux.HandleFunc("GET /api/v1/me/notices", s.requireAuth(s.handleInbox))

	return s.recoverPanic(s.accessLog(s.crossOrigin(s.clientInfo(s.authenticate(mux)))))
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

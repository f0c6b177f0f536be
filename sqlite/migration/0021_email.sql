-- The channel a consent entry came by (clause 1.1.3): '' for the app and web pages, 'sms' for a
-- TD reply, 'email' for an unsubscribe link in a marketing e-mail.
ALTER TABLE consents ADD COLUMN channel TEXT NOT NULL DEFAULT '';

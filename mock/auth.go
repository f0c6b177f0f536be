// Package mock holds function-field mocks of the root service interfaces, for tests of the
// packages that use them: each method calls the field of the same name with an Fn suffix.
package mock

import (
	"context"

	"github.com/beifen/beifen"
)

var _ beifen.AuthService = (*AuthService)(nil)

// AuthService is a mock beifen.AuthService.
type AuthService struct {
	RequestCodeFn        func(ctx context.Context, phone string) error
	SignInFn             func(ctx context.Context, phone, code, kind string) (*beifen.User, string, error)
	SignInWithPasswordFn func(ctx context.Context, phone, password, kind string) (*beifen.User, string, error)
	SetPasswordFn        func(ctx context.Context, password string) error
	AuthenticateFn       func(ctx context.Context, token string) (*beifen.User, error)
	CreateUserFn         func(ctx context.Context, phone, name string) (*beifen.User, string, error)
}

// RequestCode calls RequestCodeFn.
func (s *AuthService) RequestCode(ctx context.Context, phone string) error {
	return s.RequestCodeFn(ctx, phone)
}

// SignIn calls SignInFn.
func (s *AuthService) SignIn(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
	return s.SignInFn(ctx, phone, code, kind)
}

// SignInWithPassword calls SignInWithPasswordFn.
func (s *AuthService) SignInWithPassword(ctx context.Context, phone, password, kind string) (*beifen.User, string, error) {
	return s.SignInWithPasswordFn(ctx, phone, password, kind)
}

// SetPassword calls SetPasswordFn.
func (s *AuthService) SetPassword(ctx context.Context, password string) error {
	return s.SetPasswordFn(ctx, password)
}

// Authenticate calls AuthenticateFn.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*beifen.User, error) {
	return s.AuthenticateFn(ctx, token)
}

// CreateUser calls CreateUserFn.
func (s *AuthService) CreateUser(ctx context.Context, phone, name string) (*beifen.User, string, error) {
	return s.CreateUserFn(ctx, phone, name)
}

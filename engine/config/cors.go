package config

// CORS is an HTTP API's CORS configuration. With one, the gateway answers preflight requests
// (Origin plus Access-Control-Request-Method) itself, without a route or an authorizer, and
// replaces the CORS headers of integration responses with these.
type CORS struct {
	// AllowOrigins are the origins allowed to call the API: "*", or origins like
	// https://example.com. Zero value: none.
	AllowOrigins []string `yaml:"allowOrigins,omitempty" json:"allowOrigins,omitempty"`
	// AllowMethods are the methods allowed in preflight answers: "*" or GET, POST, PUT, PATCH,
	// DELETE, HEAD, OPTIONS. Zero value: none.
	AllowMethods []string `yaml:"allowMethods,omitempty" json:"allowMethods,omitempty"`
	// AllowHeaders are the request headers allowed in preflight answers, or "*".
	// Zero value: none.
	AllowHeaders []string `yaml:"allowHeaders,omitempty" json:"allowHeaders,omitempty"`
	// ExposeHeaders are the response headers browsers may show to scripts, or "*".
	// Zero value: none.
	ExposeHeaders []string `yaml:"exposeHeaders,omitempty" json:"exposeHeaders,omitempty"`
	// MaxAge is how many seconds browsers may cache a preflight answer, -1 to 86400.
	// Zero value: no Access-Control-Max-Age header.
	MaxAge int `yaml:"maxAge,omitempty" json:"maxAge,omitempty"`
	// AllowCredentials lets browsers send credentials; not allowed with the "*" origin.
	// Zero value: false.
	AllowCredentials bool `yaml:"allowCredentials,omitempty" json:"allowCredentials,omitempty"`
}

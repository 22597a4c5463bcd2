-- wrk script: the OTP user's password login, as the client module sends it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-client-key"] = "demo-client-key"
wrk.body = '{"email":"ada@example.com","password":"Demo-Passw0rd!"}'

// sdk/test/flow_11_1.ts — spec §11.1 through the typed client against a live stack: register, verify e-mail and phone, log in, submit KYC, staff approve
//
// Environment: HZM_BASE_URL (the stack), HZM_VAR (its mail and SMS files),
// HZM_FLOW_EMAIL, HZM_FLOW_PHONE, HZM_KYC_BODY (a file holding a KYC form
// with documents), HZM_ADMIN_TOKEN (a staff console session). Prints TAP.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createHzmClient, type Schemas } from "../src/index.js";

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const base = env("HZM_BASE_URL"), varDir = env("HZM_VAR");
const email = env("HZM_FLOW_EMAIL"), phone = env("HZM_FLOW_PHONE");
const started = Date.now() - 1000;

let n = 0, failed = 0;
function ok(cond: unknown, what: string): void {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? "ok" : "not ok"} ${n} - ${what}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The newest file in dir, since the flow began, whose text passes test. */
async function newest(dir: string, test: (text: string) => boolean): Promise<string | undefined> {
  for (let i = 0; i < 50; i++) {
    const files = readdirSync(dir).filter((f) => !f.startsWith(".")).sort().reverse();
    for (const f of files) {
      const p = join(dir, f);
      if (statSync(p).mtimeMs < started) continue;
      const text = readFileSync(p, "utf8");
      if (test(text)) return text;
    }
    await sleep(100);
  }
  return undefined;
}

async function main(): Promise<void> {
  let token: string | undefined;
  const api = createHzmClient({ baseUrl: base, accessToken: () => token,
    deviceId: "sdk-flow-device", clientVersion: "sdk-1.0.0" });
  const password = `Sdk-flow-${Date.now()}`;

  // 1. Register with e-mail and phone: PENDING_VERIFICATION, both to verify.
  const reg = await api.POST("/api/v1/auth/register", { body: { email, password, phoneNumber: phone } });
  ok(reg.response.status === 201, "register: 201");
  ok(reg.data?.data.status === "PENDING_VERIFICATION", "register: PENDING_VERIFICATION");
  ok(JSON.stringify(reg.data?.data.verificationRequired) === '["EMAIL","PHONE"]', "register: EMAIL and PHONE to verify");

  // 2. The e-mail's code: EMAIL_VERIFIED (§11.1 step 2).
  const mail = await newest(join(varDir, "mail"), (t) => t.includes(`To: ${email}`) || t.includes(`<${email}>`));
  const ecode = mail?.match(/^ {4}(\d{6})\s*$/m)?.[1];
  ok(ecode, "the verification mail carries a code");
  const ve = await api.POST("/api/v1/auth/verify-email", { body: { email, code: ecode ?? "000000" } });
  ok(ve.data?.data.status === "EMAIL_VERIFIED", "verify-email: EMAIL_VERIFIED");

  // 3. The phone's code, sent by SMS: ACTIVE at LEVEL_1.
  const sms = await newest(join(varDir, "sms"), (t) => (JSON.parse(t) as { to: string }).to === phone);
  const pcode = sms ? (JSON.parse(sms) as { text: string }).text.match(/\b(\d{6})\b/)?.[1] : undefined;
  ok(pcode, "the SMS carries a code");
  const vp = await api.POST("/api/v1/auth/verify-phone", { body: { email, code: pcode ?? "000000" } });
  ok(vp.data?.data.status === "ACTIVE", "verify-phone: ACTIVE");
  ok(vp.data?.data.kycLevel === "LEVEL_1", "verify-phone: LEVEL_1");

  // 4. Log in (§11.1 step 3).
  const login = await api.POST("/api/v1/auth/login", { body: { email, password } });
  ok(login.response.status === 200, "login: 200");
  token = login.data?.data.accessToken;
  ok(login.data?.data.user.kycLevel === "LEVEL_1", "login: LEVEL_1");
  const prof = await api.GET("/api/v1/users/profile");
  ok(prof.data?.data.phoneVerified === true && prof.data?.data.emailVerified === true, "profile: both verified");
  const sessions = await api.GET("/api/v1/users/sessions");
  ok(sessions.data?.data.some((s) => s.current && s.deviceId === "sdk-flow-device" &&
    s.clientVersion === "sdk-1.0.0"), "the session records the SDK's device and version");

  // 5. KYC documents (§11.1 step 4): PENDING_REVIEW.
  const form = JSON.parse(readFileSync(env("HZM_KYC_BODY"), "utf8")) as Schemas["KycSubmitRequest"];
  const sub = await api.POST("/api/v1/kyc/submit", { body: form });
  ok(sub.response.status === 201, "kyc submit: 201");
  ok(sub.data?.data.status === "PENDING_REVIEW", "kyc submit: PENDING_REVIEW");
  const kycId = sub.data?.data.kycId ?? "";

  // 6. Staff review (§11.1 step 5), then the user sees LEVEL_2 (step 6).
  const admin = createHzmClient({ baseUrl: base, accessToken: () => env("HZM_ADMIN_TOKEN") });
  const pending = await admin.GET("/api/v1/admin/kyc/pending", { params: { query: { pageSize: 500 } } });
  ok(pending.data?.data.some((a) => a.kycId === kycId), "admin: the application is pending");
  const appr = await admin.POST("/api/v1/admin/kyc/{kycId}/approve", {
    params: { path: { kycId } }, body: { level: "LEVEL_2" } });
  ok(appr.data?.data.status === "APPROVED", "admin: approved");
  const st = await api.GET("/api/v1/kyc/status");
  ok(st.data?.data.status === "APPROVED" && st.data?.data.level === "LEVEL_2", "kyc status: APPROVED, LEVEL_2");

  // Errors come typed too.
  const bad = await api.POST("/api/v1/auth/verify-email", { body: { email, code: "12345" } });
  ok(bad.response.status === 400 && bad.error?.error.code === "INVALID_REQUEST", "a 400 is typed");
}

main().then(() => {
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}, (e: unknown) => {
  console.log(`not ok ${n + 1} - ${String(e)}`);
  console.log(`1..${n + 1}`);
  process.exit(1);
});

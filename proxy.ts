import { NextResponse, type NextRequest } from "next/server";
import { API_CSP, HSTS, isApiPath, newNonce, pageCsp } from "@/lib/http/security-headers";

/**
 * The Content-Security-Policy of every response, with a fresh nonce per page, and HSTS on
 * HTTPS. The protocol is the request URL's: Next derives it from `X-Forwarded-Proto`, which
 * `npm start` removes unless TRUST_PROXY says a proxy of ours set it.
 */
export function proxy(request: NextRequest) {
  const https = request.nextUrl.protocol === "https:";
  let csp = API_CSP;
  let response: NextResponse;
  if (isApiPath(request.nextUrl.pathname)) {
    response = NextResponse.next();
  } else {
    csp = pageCsp({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https });
    // Next.js reads the nonce from the request's CSP while it renders, and stamps its scripts.
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Static build files are not documents; everything else (pages, /api, /v1) gets the headers.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

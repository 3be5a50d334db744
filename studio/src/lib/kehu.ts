import { KehuClient } from "@kehu/client";

/** The studio's one API client: same origin, cookie session, CSRF token from login or `me()`. */
export const kehu = new KehuClient({ baseUrl: "" });

// Names shared with Haul's Go side (nativehost/ids.go checks them).

// HOST_NAME is the native-messaging host `haul install-browser` registers.
export const HOST_NAME = "io.github.hauldl.haul";

// MAX_LINKS is the most links one "Download all links" hands over; Haul
// refuses longer lists.
export const MAX_LINKS = 10000;

// MAX_FIELD is the longest URL, page, file name or User-Agent handed over.
export const MAX_FIELD = 8192;

// BYPASS_MS is how long after a click with the bypass modifier held a
// download the browser starts is left to the browser.
export const BYPASS_MS = 4000;

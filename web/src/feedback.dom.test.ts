// @vitest-environment happy-dom
// The feedback section as a person meets it: three buttons, and the outcome announced in a
// status region (read out by screen readers) after a tap.
import { beforeEach, describe, expect, test, vi } from "vitest";
import { feedbackSection } from "./feedback";
import { translator } from "./i18n";

describe("the feedback section", () => {
  beforeEach(() => localStorage.clear());

  test("a tap says thank you; a second one already sent", async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 202 }));
    window.fetch = fetch as unknown as typeof window.fetch;
    const t = translator("ar");
    const box = feedbackSection(t, "loc-1", "2027-03-01");
    document.body.replaceChildren(box);
    expect(box.querySelector("h2")?.textContent).toBe(t("fb_question"));
    const status = box.querySelector<HTMLElement>("#fb-status")!;
    expect(status.getAttribute("role")).toBe("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    const closed = box.querySelector<HTMLButtonElement>("#fb-closed")!;
    expect(closed.type).toBe("button");
    expect(closed.textContent).toBe(t("fb_closed"));
    closed.click();
    await vi.waitFor(() => expect(status.textContent).toBe(t("fb_thanks")));
    expect(fetch).toHaveBeenCalledTimes(1);
    box.querySelector<HTMLButtonElement>("#fb-right")!.click();
    await vi.waitFor(() => expect(status.textContent).toBe(t("fb_already")));
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

"use client";

import { useEffect, useState } from "react";

/**
 * Time left until a server deadline. The server enforces it (it records a timeout and moves on); this is only a
 * display, refreshed every second.
 */
export function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  return (
    <span className="countdown" role="timer" aria-label={`${seconds} seconds left`}>
      {text} left
    </span>
  );
}

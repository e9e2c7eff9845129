import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { UserMenu } from "./user-menu";

export const metadata: Metadata = {
  title: "Crux — live debate for scalable oversight",
  description: "Judge AI debaters arguing about a story only they can read.",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Crux
          </Link>
          <span className="tagline">live debate for scalable-oversight research</span>
          <UserMenu />
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}

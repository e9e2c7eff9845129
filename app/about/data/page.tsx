export const metadata = { title: "About the data — Crux" };

/**
 * Where the game's questions and stories come from, with their licences and credits (the public version of
 * data/README.md's attribution section, which players cannot reach).
 */
export default function AboutDataPage() {
  return (
    <section className="about-page">
      <h1>About the data</h1>
      <p>
        The questions and stories in Crux come from published research datasets, used under their licences. Questions
        you import yourself carry the licence you give them.
      </p>

      <h2>QuALITY stories and questions</h2>
      <p>
        Licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. The stories are Project Gutenberg
        texts and Slate articles selected by QuALITY. Crux reduces each question to its two debated options, drops some
        fields and adds tags.
      </p>
      <ul>
        <li>
          Richard Yuanzhe Pang et al. 2022. <cite>QuALITY: Question Answering with Long Input Texts, Yes!</cite> NAACL
          2022. <a href="https://arxiv.org/abs/2112.08608">arXiv:2112.08608</a>
        </li>
        <li>
          Julian Michael et al. 2023. <cite>Debate Helps Supervise Unreliable Experts.</cite>{" "}
          <a href="https://arxiv.org/abs/2311.08702">arXiv:2311.08702</a> (released data CC BY 4.0)
        </li>
        <li>
          Alicia Parrish et al. 2022.{" "}
          <cite>Single-Turn Debate Does Not Help Humans Answer Hard Reading-Comprehension Questions.</cite> LNLS
          workshop, ACL 2022. <a href="https://arxiv.org/abs/2204.05212">arXiv:2204.05212</a>
        </li>
      </ul>

      <h2>Real debates: the NYU 2023 debate experiments</h2>
      <p>
        &ldquo;Judge a real debate&rdquo; replays debates that people and GPT-4 held, and people judged, in the NYU
        debate experiments, from their released data (licensed{" "}
        <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>;{" "}
        <a href="https://github.com/julianmichael/debate">github.com/julianmichael/debate</a>), on QuALITY stories. Crux
        converts them to its own format; the arguments are shown as they were written, and after your verdict you see
        how the original judge did.
      </p>
      <ul>
        <li>
          Julian Michael, Salsabila Mahdi, David Rein, Jackson Petty, Julien Dirani, Vishakh Padmakumar, Samuel R.
          Bowman. 2023. <cite>Debate Helps Supervise Unreliable Experts.</cite>{" "}
          <a href="https://arxiv.org/abs/2311.08702">arXiv:2311.08702</a>
        </li>
      </ul>

      <h2>TruthfulQA</h2>
      <p>
        Licensed <a href="https://www.apache.org/licenses/LICENSE-2.0">Apache 2.0</a>. Crux keeps each question's best
        answer and best incorrect answer as its two options.
      </p>
      <ul>
        <li>
          Stephanie Lin, Jacob Hilton, Owain Evans. 2022.{" "}
          <cite>TruthfulQA: Measuring How Models Mimic Human Falsehoods.</cite> ACL 2022.{" "}
          <a href="https://arxiv.org/abs/2109.07958">arXiv:2109.07958</a>
        </li>
      </ul>

      <h2>Please keep them out of training data</h2>
      <p>
        They are evaluation benchmarks. Do not put these questions, or debates about them, into model training data.
      </p>
    </section>
  );
}

"""One hand-made instance of every record, shared by the round-trip and stage tests."""
from storygen.records import (
    Action, Arrangement, Background, BookManifest, Box, Candidate, CandidateScore, Candidates,
    ConsentRecord, Entity, Mood, MusicScore, Narration, PlacedObject, Plan, Prompt, Relation,
    SceneGraph, SceneLayout, SfxCue, SfxCues, Story, WordTiming,
)

PROMPT = Prompt(theme="underwater", hero="mermaid", color="teal", adjective="silly", seed=3)
PLAN = Plan(prompt=PROMPT, scenes=(("mermaid", "reef"), ("shell",), ("crab", "shell"),
                                   ("crab", "idea"), ("mermaid", "reef")), backend="template", seed=3)
SCENES = (
    "A silly mermaid with a teal tail lived in the reef. She giggled at the fish.",
    "One day her shell was gone. It was not under the rock.",
    "The mermaid asked a crab for help. The crab looked behind the boat.",
    "The crab had an idea. They swam to the top of the reef together.",
    "At last the mermaid found her shell. She and the crab had a party.",
)
CANDIDATES = Candidates(plan=PLAN, candidates=(
    Candidate(scenes=SCENES, seed=3000, backend="template", settings={"top_p": 0.9}, title="The Shell"),
))
STORY = Story(prompt=PROMPT, plan=PLAN, title="The Shell", scenes=SCENES, chosen=0,
              scores=(CandidateScore(index=0, score=1.5, details={"coverage": 1.0}),),
              ranker="heuristic")
GRAPH = SceneGraph(
    index=1, text=SCENES[0], resolved_text=SCENES[0].replace("She", "The mermaid"),
    entities=(Entity(id="e0", lemma="mermaid", mention="silly mermaid", object_id="mermaid",
                     attributes=("teal", "silly"), hero=True),
              Entity(id="e1", lemma="fish", mention="the fish", object_id="fish", count=3)),
    relations=(Relation(subject="e0", predicate="near", object="e1"),),
    actions=(Action(subject="e0", verb="giggle", object=None),), cues=("reef",),
    theme="underwater", backend="basic")
LAYOUT = SceneLayout(
    index=1, width=1024, height=768,
    background=Background(id="underwater-day", theme="underwater", variant="day", cues=("reef",)),
    objects=(PlacedObject(entity="e0", object_id="mermaid", box=Box(x=400, y=300, w=256, h=256),
                          z=2, flip=True, tint="#00897B", animation="swim",
                          animation_params={"amplitude": 8.0}),),
    accent="#00897B", seed=3, backend="basic")
NARRATION = Narration(index=1, text=SCENES[0], wav="audio/01-narration.wav", duration_s=4.2,
                      sample_rate=22050, words=(WordTiming(word="A", start=0.0, end=0.1),),
                      backend="piper", voice="en_US-joe-medium")
MUSIC = MusicScore(index=1, mood=Mood(valence=0.5, arousal=-0.2), key="C", mode="major",
                   tempo_bpm=96.0, progression=("I", "V", "vi", "IV"),
                   instruments={"melody": 11, "chords": 46}, duration_s=8.0,
                   midi="audio/01-music.mid", wav="audio/01-music.wav", seed=3, backend="basic")
SFX = SfxCues(index=1, cues=(SfxCue(sound="bubbles", trigger="bubble", start_s=1.2, gain=0.8),),
              duration_s=4.2, wav="audio/01-sfx.wav", seed=3, backend="basic")
MANIFEST = BookManifest(prompt=PROMPT, seed=3, title="The Shell", versions={"storygen": "0.1.0"},
                        backends={"writer": "template"}, stage_seconds={"plan": 0.01},
                        files=("story.json",))
CONSENT = ConsentRecord(profile="default", guardian="A Parent", granted_at="2026-01-01T00:00:00+00:00")

ARRANGEMENT = Arrangement(
    index=1, hero="mermaid", leitmotif="major-4-007", leitmotif_bars=(1, 7), counter="major-4-020",
    progression="doo-wop", patterns={"accomp": "alberti", "bass": "bass-halves", "drums": ""},
    bars=12, beats_per_bar=4, tempo_bpm=92.5, register=0, velocity=62, density=1, stretch=1.0,
    target_s=31.135, padding_s=1.5, seed=4, story_seed=3)

ALL = (PROMPT, PLAN, CANDIDATES, STORY, GRAPH, LAYOUT, NARRATION, MUSIC, SFX, MANIFEST, CONSENT,
       ARRANGEMENT)

"""The browser app: pure rendering (render.py), the lock-guarded core (desk.py), the Gradio app (app.py)."""
